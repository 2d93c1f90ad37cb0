// Helpers of the fetch, sync and scale benchmarks (bench/fetch/*.mjs): start the fake
// upstreams and mdp-host as child processes on 127.0.0.1, get a token, time HTTP requests,
// read a process's CPU time. Nothing here talks to anything but loopback.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

// Starts `bin args` (optionally pinned with taskset), logs its output to `log`, and resolves
// once `ready(text)` returns a value for the output so far.
export function startProcess({ bin, args = [], env = {}, cwd, cpu, log, ready, timeoutMs = 30_000 }) {
  const command = cpu !== undefined ? 'taskset' : bin;
  const argv = cpu !== undefined ? ['-c', String(cpu), bin, ...args] : args;
  const child = spawn(command, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = fs.createWriteStream(log);
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${path.basename(bin)} not ready within ${timeoutMs} ms (log ${log})`)), timeoutMs);
    let done = false;
    function fail(error) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    const onData = (chunk) => {
      out.write(chunk);
      if (done) return;
      text += chunk.toString();
      const value = ready(text);
      if (value !== undefined) {
        done = true;
        clearTimeout(timer);
        resolve({ child, value, stop: () => stopProcess(child) });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => fail(new Error(`${path.basename(bin)} exited (${code}) during start; log ${log}:\n${text}`)));
    child.on('error', fail);
  });
}

export function stopProcess(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

// A fake upstream that prints its URL as the first line of stdout.
export async function startFake({ bin, args, log, cpu }) {
  const started = await startProcess({ bin, args, log, cpu, ready: (text) => text.match(/^(http:\/\/127\.0\.0\.1:\d+)\s*$/m)?.[1] });
  return { ...started, url: started.value };
}

// mdp-host --dev on a fresh SQLite file in `work`, role api (syncs only on demand), any free
// port, the API rate limit off (the benchmarks make many requests). `baseUrls`: plugin id ->
// base URL; the others point at a closed local port. Resolves with the port and the dev
// client's credentials (printed by --dev on a first start; pass `credentials` back to restart
// on the same folder). `config`: extra `key = value` lines, for keys without an environment
// variable (upstream.<id>.*), written to a --config file.
export async function startHost({ bin, work, baseUrls, cpu, env = {}, name = 'mdp-host', credentials, config = [] }) {
  fs.mkdirSync(work, { recursive: true });
  const configFile = path.join(work, 'mdp.properties');
  fs.writeFileSync(configFile, config.map((line) => `${line}\n`).join(''));
  const closed = 'http://127.0.0.1:9';
  const started = await startProcess({
    bin, args: ['--dev', '--config', configFile], cwd: work, cpu, log: path.join(work, `${name}.log`),
    env: {
      MDP_DATABASE_URL: `sqlite:${path.join(work, 'mdp.db')}`,
      MDP_SERVER_PORT: '0',
      MDP_ROLE: 'api',
      MDP_API_RATE_LIMIT_PER_MINUTE: '0',
      MDP_PLUGINS_BINANCE_FUTURES_BASE_URL: baseUrls.binance_futures ?? closed,
      MDP_PLUGINS_HYPERLIQUID_BASE_URL: baseUrls.hyperliquid ?? closed,
      MDP_PLUGINS_COINBASE_BASE_URL: baseUrls.coinbase ?? closed,
      ...env,
    },
    ready: (text) => {
      const port = text.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/)?.[1];
      const id = credentials?.id ?? text.match(/client_id:\s+(\S+)/)?.[1];
      const secret = credentials?.secret ?? text.match(/client_secret:\s+(\S+)/)?.[1];
      return port && id && secret ? { port: Number(port), id, secret } : undefined;
    },
  });
  const { port, id, secret } = started.value;
  const base = `http://127.0.0.1:${port}`;
  const token = await getToken(base, id, secret);
  return { ...started, base, pid: started.child.pid, credentials: { id, secret }, auth: { Authorization: `Bearer ${token}` } };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

// One HTTP request on a keep-alive connection; the time is from sending to the last body byte.
export function request(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - started;
        const buffer = Buffer.concat(chunks);
        resolve({ status: res.statusCode, headers: res.headers, bytes: buffer.length, body: buffer.toString(), ms });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

export async function getToken(base, id, secret) {
  const response = await request(`${base}/v1/auth/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  if (response.status !== 200) throw new Error(`token endpoint: ${response.status} ${response.body}`);
  return JSON.parse(response.body).access_token;
}

// GET that must answer 200; returns the timing.
export async function getOk(url, headers) {
  const response = await request(url, { headers });
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${response.body.slice(0, 300)}`);
  return response;
}

export async function syncExchange(host, exchange) {
  const response = await request(`${host.base}/v1/admin/sync?exchange=${exchange}`, { method: 'POST', headers: host.auth });
  const summary = response.status === 200 ? JSON.parse(response.body) : undefined;
  if (!summary || summary.outcome !== 'succeeded') throw new Error(`sync ${exchange}: ${response.status} ${response.body}`);
  return summary;
}

// CPU time (user + system, all threads) of a process so far, in seconds, from /proc.
const ticksPerSecond = 100;  // USER_HZ on Linux
export function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;  // utime, stime (fields 14, 15)
}

export function appendSamples(file, samples) {
  fs.appendFileSync(file, samples.map((s) => `${JSON.stringify(s)}\n`).join(''));
}

export function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function parseArgs(argv, defaults) {
  const options = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in defaults) || argv[i + 1] === undefined) throw new Error(`unexpected argument '${argv[i]}'`);
    options[key] = argv[i + 1];
  }
  return options;
}
