// Issue 11 target 5: the scale curve. Latency and bytes/s of
//   GET /v1/candles   for 100, 1,000 and 10,000 1m candles (cold: every request a range never
//                     asked before, fetched through the Binance plugin from
//                     mdp-bench-fake-binance with no delay, so the upstream costs only the fake's
//                     generation on loopback);
//   GET /v1/symbols   for 100, 1,000 and 10,000 generated symbols (the fake's exchangeInfo with
//                     N perpetuals, synced by the host): the full walk, limit=1000 per page,
//                     following next_cursor; each walk on a freshly started host (cold: no
//                     response cache), the catalogue kept in the SQLite file between starts.
// Samples, JSON lines appended to --out: {"key":"scale/<candles|symbols>/<n>","value":ms,
// "unit":"ms","bytes":B,"pages":P,"host_cpu_ms":C} (C: the host's CPU time over the request(s),
// /proc, 10 ms ticks; on a busy machine the wall time includes waiting for the core).
//
// usage: node scale.mjs --host BIN --fake BIN --out FILE [--cpu C] [--reps 3]
import fs from 'node:fs';
import path from 'node:path';
import { appendSamples, cpuSeconds, getOk, median, parseArgs, startFake, startHost, syncExchange, tempDir } from './processes.mjs';

const MINUTE = 60_000;
const SIZES = [100, 1_000, 10_000];
const FIRST_START = Date.UTC(2023, 0, 1);
// 10,000 generated symbols in Binance's shape make an 11 MB exchangeInfo, above the default
// upstream cap (upstream.<id>.max_response_bytes, 8 MiB): raised for the symbols hosts only.
const BIG_EXCHANGE_INFO = 'upstream.binance_futures.max_response_bytes = 33554432';

async function candles(options, cpu, work, reps) {
  const samples = [];
  const fake = await startFake({ bin: options.fake, args: ['--delay-ms', '0', '--symbols', '1'], log: path.join(work, 'fake-candles.log') });
  const host = await startHost({ bin: options.host, work: path.join(work, 'candles'), cpu, baseUrls: { binance_futures: fake.url } });
  try {
    await syncExchange(host, 'binance_futures');
    let range = 0;
    const url = (rows) => {
      const start = FIRST_START + (range++) * 10_000 * MINUTE;  // never the same range twice
      return `${host.base}/v1/candles?exchange=binance_futures&native=BTCUSDT&interval=1m&start=${start}&end=${start + rows * MINUTE}`;
    };
    await getOk(url(1_000), host.auth);  // warm-up: connections, code paged in
    for (let rep = 0; rep < reps; ++rep) {
      for (const rows of SIZES) {  // interleaved, so drift hits every size alike
        const cpu0 = cpuSeconds(host.pid);
        const response = await getOk(url(rows), host.auth);
        const hostCpuMs = (cpuSeconds(host.pid) - cpu0) * 1e3;
        const count = JSON.parse(response.body).candles.length;
        if (count !== rows) throw new Error(`/v1/candles: expected ${rows} candles, got ${count}`);
        samples.push({ key: `scale/candles/${rows}`, value: response.ms, unit: 'ms', bytes: response.bytes, host_cpu_ms: hostCpuMs });
      }
    }
  } finally {
    await host.stop();
    await fake.stop();
  }
  return samples;
}

async function walkSymbols(host, expected) {
  let cursor = null;
  let ms = 0;
  let bytes = 0;
  let pages = 0;
  let count = 0;
  do {
    const response = await getOk(`${host.base}/v1/symbols?exchange=binance_futures&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, host.auth);
    const body = JSON.parse(response.body);
    ms += response.ms;
    bytes += response.bytes;
    pages += 1;
    count += body.symbols.length;
    cursor = body.next_cursor;
  } while (cursor);
  if (count !== expected) throw new Error(`/v1/symbols walk: expected ${expected} symbols, got ${count}`);
  return { ms, bytes, pages };
}

async function symbols(options, cpu, work, reps) {
  const samples = [];
  for (const n of SIZES) {
    const fake = await startFake({ bin: options.fake, args: ['--delay-ms', '0', '--symbols', String(n)], log: path.join(work, `fake-symbols-${n}.log`) });
    const folder = path.join(work, `symbols-${n}`);
    let credentials;
    try {
      for (let rep = 0; rep < reps; ++rep) {
        const host = await startHost({ bin: options.host, work: folder, cpu, credentials, name: `mdp-host-${rep}`, baseUrls: { binance_futures: fake.url }, config: [BIG_EXCHANGE_INFO] });
        credentials = host.credentials;
        try {
          if (rep === 0) await syncExchange(host, 'binance_futures');
          const cpu0 = cpuSeconds(host.pid);
          const walk = await walkSymbols(host, n);
          const hostCpuMs = (cpuSeconds(host.pid) - cpu0) * 1e3;
          samples.push({ key: `scale/symbols/${n}`, value: walk.ms, unit: 'ms', bytes: walk.bytes, pages: walk.pages, host_cpu_ms: hostCpuMs });
        } finally {
          await host.stop();
        }
      }
    } finally {
      await fake.stop();
    }
  }
  return samples;
}

async function main() {
  const options = parseArgs(process.argv.slice(2), { host: '', fake: '', out: '', cpu: '', reps: '3' });
  if (!options.host || !options.fake || !options.out) throw new Error('--host, --fake and --out are required');
  const cpu = options.cpu === '' ? undefined : Number(options.cpu);
  const reps = Number(options.reps);
  const work = tempDir('mdp-bench-scale.');
  try {
    const samples = [...(await candles(options, cpu, work, reps)), ...(await symbols(options, cpu, work, reps))];
    appendSamples(options.out, samples);
    for (const key of [...new Set(samples.map((s) => s.key))]) {
      const of = samples.filter((s) => s.key === key);
      const ms = median(of.map((s) => s.value));
      const n = Number(key.split('/').pop());
      const cpu = median(of.map((s) => s.host_cpu_ms));
      console.error(`  ${key}: ${ms.toFixed(1)} ms (host CPU ${cpu.toFixed(0)} ms), ${(of[0].bytes / 1e3).toFixed(0)} KB, ${((ms * 1e3) / n).toFixed(1)} µs/row, ${(of[0].bytes / ms / 1e3).toFixed(1)} MB/s`);
    }
  } finally {
    if (!process.env.MDP_BENCH_KEEP) fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`scale.mjs: ${error.stack ?? error}`);
  process.exit(1);
});
