// Open-loop latency client for bench/serve: sends GET requests at a FIXED rate, whatever the
// server does, and measures each latency from the request's INTENDED send time
// (t0 + i / rate), not from when a connection became free to send it.
//
// Why that does not hide queueing delay: a closed-loop client (wrk, ab) sends the next request
// only after the previous answer, so when the server stalls it simply sends less and the stall
// shows up in one sample instead of in every request that should have been sent meanwhile
// ("coordinated omission"). Here the schedule never waits: a request that has to queue (all
// --connections busy, or the server slow to accept) still counts from its intended time, so
// every millisecond of queueing is in the percentiles. Requests still unanswered at the end
// count as failures, never as missing samples.
//
// usage: node openloop.mjs --url URL --rate R --duration S [--connections C] [--header "K: V"]...
// prints one JSON line: {"rate","sent","ok","non2xx","errors","unfinished","p50_ms","p90_ms",
//                        "p99_ms","max_ms","max_lag_ms"}
import http from 'node:http';

function parseArgs(argv) {
  const o = { url: '', rate: 0, duration: 0, connections: 64, headers: {} };
  for (let i = 0; i < argv.length; i += 2) {
    const [arg, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`missing value after ${arg}`);
    if (arg === '--url') o.url = value;
    else if (arg === '--rate') o.rate = Number(value);
    else if (arg === '--duration') o.duration = Number(value);
    else if (arg === '--connections') o.connections = Number(value);
    else if (arg === '--header') {
      const at = value.indexOf(':');
      o.headers[value.slice(0, at).trim()] = value.slice(at + 1).trim();
    } else throw new Error(`unexpected argument '${arg}'`);
  }
  if (!o.url || !(o.rate > 0) || !(o.duration > 0)) throw new Error('--url, --rate and --duration are required');
  return o;
}

const o = parseArgs(process.argv.slice(2));
const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
const total = Math.round(o.rate * o.duration);
const latencies = [];
let sent = 0, ok = 0, non2xx = 0, errors = 0, finished = 0, maxLag = 0;

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const t0 = nowMs() + 50;

function send(intended) {
  const req = http.get(o.url, { agent, headers: o.headers }, (res) => {
    res.on('data', () => {});
    res.on('end', () => {
      latencies.push(nowMs() - intended);
      if (res.statusCode >= 200 && res.statusCode < 300) ok++; else non2xx++;
      finished++;
    });
  });
  req.on('error', () => { errors++; finished++; });
}

function tick() {
  const now = nowMs();
  // Everything whose intended time has come goes out now, each stamped with its own time.
  while (sent < total && t0 + (sent * 1000) / o.rate <= now) {
    const intended = t0 + (sent * 1000) / o.rate;
    maxLag = Math.max(maxLag, now - intended);
    send(intended);
    sent++;
  }
  if (sent < total) setTimeout(tick, Math.max(0, t0 + (sent * 1000) / o.rate - nowMs()));
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

setTimeout(tick, Math.max(0, t0 - nowMs()));
const deadline = t0 + o.duration * 1000 + 10_000;  // answers may take up to 10 s after the last send
const waiter = setInterval(() => {
  if (finished < total && nowMs() < deadline) return;
  clearInterval(waiter);
  const sorted = latencies.sort((a, b) => a - b);
  const r = (x) => Math.round(x * 1000) / 1000;
  process.stdout.write(JSON.stringify({
    rate: o.rate, sent, ok, non2xx, errors, unfinished: total - finished,
    p50_ms: r(percentile(sorted, 50)), p90_ms: r(percentile(sorted, 90)), p99_ms: r(percentile(sorted, 99)),
    max_ms: r(sorted[sorted.length - 1] ?? NaN), max_lag_ms: r(maxLag),
  }) + '\n');
  agent.destroy();
  process.exit(0);
}, 100);
