// Issue 11 target 3: 10,000 1m candles from a fake Binance USD-M that waits 50 ms before every
// response (mdp-bench-fake-binance), measured in one run, each repetition on a range never
// asked before (cold: no response cache can answer it):
//   fetch/one_page_rtt      one GET /fapi/v1/klines of 1500 rows straight from the fake (the unit)
//   fetch/mdp_10k           GET /v1/candles of 10,000 1m candles through mdp-host (SQLite, JWT),
//                           wall time of the HTTP request; the host pages (1500/page → 7 pages)
//   fetch/mdp_10k/concurrency_N  the same with upstream.binance_futures.candle_concurrency = N
//                           (--concurrency N,M; the default is 8)
//   fetch/ccxt_paginate_10k ccxt fetchOHLCV(..., {paginate: true, until}) against the same fake:
//                           ccxt's own deterministic pagination (1000 rows/call, calls in
//                           parallel, throttled by ccxt's rate limiter as shipped)
//   fetch/ccxt_loop_10k     the usual since-loop, limit 1500, one call after the other
// All in ms; JSON lines {"key","value","unit"} appended to --out (the mdp samples also carry
// host_cpu_ms: the host's CPU time during the request, /proc, 10 ms ticks).
// ccxt never leaves loopback: every URL of binanceusdm's urls.api is rewritten to the fake, and
// its fetch() refuses any other URL before sending.
//
// usage: node fetch.mjs --host BIN --fake BIN --out FILE [--cpu C] [--reps 5] [--concurrency 4,8]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendSamples, cpuSeconds, getOk, median, parseArgs, startFake, startHost, syncExchange, tempDir } from './processes.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ccxt = createRequire(path.join(here, '../ccxt/package.json'))('ccxt');

const MINUTE = 60_000;
const ROWS = 10_000;
const FIRST_START = Date.UTC(2024, 0, 1);

function makeCcxt(fakeUrl) {
  const exchange = new ccxt.binanceusdm({ enableRateLimit: true });
  const rewrite = (value) => (typeof value === 'string' ? value.replace(/^https?:\/\/[^/]+/, fakeUrl) : value);
  for (const [key, value] of Object.entries(exchange.urls.api)) exchange.urls.api[key] = rewrite(value);
  for (const [key, value] of Object.entries(exchange.urls.api)) {
    if (typeof value === 'string' && !value.startsWith(fakeUrl)) throw new Error(`ccxt url ${key} = ${value} is not the fake`);
  }
  const send = exchange.fetch.bind(exchange);
  exchange.fetch = (url, ...rest) => {
    if (!String(url).startsWith(`${fakeUrl}/`)) throw new Error(`refusing a ccxt request to ${url}: only the fake is allowed`);
    return send(url, ...rest);
  };
  return exchange;
}

function checkRows(what, rows, start) {
  const unique = new Set(rows.map((r) => r[0]));
  if (rows.length !== ROWS || unique.size !== ROWS || rows[0][0] !== start || rows[ROWS - 1][0] !== start + (ROWS - 1) * MINUTE) {
    throw new Error(`${what}: expected ${ROWS} unique candles from ${start}, got ${rows.length} (${unique.size} unique, first ${rows[0]?.[0]})`);
  }
}

async function ccxtPaginate(exchange, start) {
  const rows = await exchange.fetchOHLCV('BTC/USDT:USDT', '1m', start, undefined, { paginate: true, until: start + ROWS * MINUTE - 1 });
  return rows.filter((r) => r[0] >= start && r[0] < start + ROWS * MINUTE);
}

async function ccxtLoop(exchange, start) {
  const rows = [];
  let since = start;
  const end = start + ROWS * MINUTE;
  while (since < end) {
    const page = await exchange.fetchOHLCV('BTC/USDT:USDT', '1m', since, 1500, { until: end - 1 });
    if (page.length === 0) break;
    for (const row of page) if (row[0] < end) rows.push(row);
    since = page[page.length - 1][0] + MINUTE;
  }
  return rows;
}

async function main() {
  const options = parseArgs(process.argv.slice(2), { host: '', fake: '', out: '', cpu: '', reps: '5', concurrency: '' });
  if (!options.host || !options.fake || !options.out) throw new Error('--host, --fake and --out are required');
  const cpu = options.cpu === '' ? undefined : Number(options.cpu);
  const reps = Number(options.reps);
  const work = tempDir('mdp-bench-fetch.');
  const fake = await startFake({ bin: options.fake, args: ['--delay-ms', '50', '--symbols', '1'], log: path.join(work, 'fake.log') });
  const hosts = [];
  try {
    // The host as configured by default, then any --concurrency variants.
    const variants = [{ key: 'fetch/mdp_10k', env: {} }];
    for (const n of options.concurrency.split(',').filter(Boolean)) {
      variants.push({ key: `fetch/mdp_10k/concurrency_${n}`, config: [`upstream.binance_futures.candle_concurrency = ${n}`] });
    }
    for (const [i, variant] of variants.entries()) {
      const host = await startHost({ bin: options.host, work: path.join(work, `host${i}`), cpu, config: variant.config, baseUrls: { binance_futures: fake.url } });
      hosts.push(host);
      await syncExchange(host, 'binance_futures');
      variant.host = host;
    }
    const exchange = makeCcxt(fake.url);
    await exchange.loadMarkets();  // from the fake's exchangeInfo, outside the timings
    const candles = (host, start) =>
      `${host.base}/v1/candles?exchange=binance_futures&native=BTCUSDT&interval=1m&start=${start}&end=${start + ROWS * MINUTE}`;
    // Warm-up on a range of its own: connections (client → host → fake) open, code paged in.
    for (const v of variants) await getOk(candles(v.host, FIRST_START - 2 * ROWS * MINUTE), v.host.auth);
    await ccxtLoop(exchange, FIRST_START - 2 * ROWS * MINUTE);

    const samples = [];
    let range = 0;
    const nextStart = () => FIRST_START + (range++) * ROWS * MINUTE;  // never the same range twice
    for (let rep = 0; rep < reps; ++rep) {
      const page = await getOk(`${fake.url}/fapi/v1/klines?symbol=BTCUSDT&interval=1m&startTime=${nextStart()}&limit=1500`);
      if (JSON.parse(page.body).length !== 1500) throw new Error('the fake did not return 1500 rows');
      samples.push({ key: 'fetch/one_page_rtt', value: page.ms, unit: 'ms', bytes: page.bytes });
      for (const v of variants) {
        const start = nextStart();
        const cpu0 = cpuSeconds(v.host.pid);
        const response = await getOk(candles(v.host, start), v.host.auth);
        const hostCpuMs = (cpuSeconds(v.host.pid) - cpu0) * 1e3;
        const body = JSON.parse(response.body);
        checkRows(v.key, body.candles.map((c) => [c.open_time]), start);
        samples.push({ key: v.key, value: response.ms, unit: 'ms', bytes: response.bytes, host_cpu_ms: hostCpuMs });
      }
      for (const [key, run] of [['fetch/ccxt_paginate_10k', ccxtPaginate], ['fetch/ccxt_loop_10k', ccxtLoop]]) {
        const start = nextStart();
        const began = performance.now();
        const rows = await run(exchange, start);
        const ms = performance.now() - began;
        checkRows(key, rows, start);
        samples.push({ key, value: ms, unit: 'ms' });
      }
    }
    appendSamples(options.out, samples);
    const byKey = new Map();
    for (const s of samples) byKey.set(s.key, [...(byKey.get(s.key) ?? []), s.value]);
    for (const [key, values] of byKey) console.error(`  ${key}: median ${median(values).toFixed(1)} ms over ${values.length}`);
  } finally {
    for (const host of hosts) await host.stop();
    await fake.stop();
    if (!process.env.MDP_BENCH_KEEP) fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`fetch.mjs: ${error.stack ?? error}`);
  process.exit(1);
});
