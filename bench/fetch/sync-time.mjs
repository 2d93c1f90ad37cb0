// Issue 11 target 4 (second part): host CPU time of a full metadata sync of the three
// exchanges from their recorded responses, upstream time excluded. mdp-fake-exchange serves
// the recordings with no delay in a process of its own; a fresh mdp-host (--dev, SQLite, role
// api, so nothing syncs until asked, pinned to --cpu) runs POST /v1/admin/sync for
// binance_futures, hyperliquid and coinbase one after the other; the host's CPU time (user +
// system, all threads, /proc/<pid>/stat, 10 ms ticks) is read before and after. Samples (s):
//   sync/full_cpu       first sync of all three on an empty catalogue (every symbol new)
//   sync/unchanged_cpu  the same again right after (every symbol unchanged)
//   sync/full_wall      wall time of the three sync requests of the first sync
// Recordings: ../shared/fixtures when present (Binance exchangeInfo 2024-10-20, 347 symbols;
// Hyperliquid meta 2023-07-17 + spotMeta 2025-11-09; Coinbase's trimmed products pages), else
// the project's tests/fixtures.
//
// usage: node sync-time.mjs --host BIN --fake-exchange BIN --out FILE [--fixtures DIR] [--cpu C] [--reps 3]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendSamples, cpuSeconds, median, parseArgs, startFake, startHost, syncExchange, tempDir } from './processes.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const EXCHANGES = ['binance_futures', 'hyperliquid', 'coinbase'];

function recordings(fixtures) {
  const shared = fixtures && fs.existsSync(path.join(fixtures, 'binance_futures/exchangeInfo_2024-10-20_full.json'));
  const dir = shared ? fixtures : path.join(here, '../../tests/fixtures');
  const files = shared
    ? { exchangeInfo: 'binance_futures/exchangeInfo_2024-10-20_full.json', meta: 'hyperliquid/meta_2023-07-17.json',
        spotMeta: 'hyperliquid/spotMeta_2025-11-09_slice.json', spot: 'coinbase/nautilus_products.json',
        future: 'coinbase/nautilus_products_future.json' }
    : { exchangeInfo: 'binance_futures/exchangeInfo_sync_v1.json', meta: 'hyperliquid/meta_all_cases.json',
        spotMeta: 'hyperliquid/spotMeta_all_cases.json', spot: 'coinbase/products_spot.json',
        future: 'coinbase/products_future.json' };
  return { dir, files, source: shared ? 'shared' : 'own' };
}

// A routes.json folder for mdp-fake-exchange: symlinks to the recordings + the routes.
function writeRoutes(work, { dir, files }) {
  const routesDir = path.join(work, 'routes');
  fs.mkdirSync(routesDir, { recursive: true });
  for (const [name, file] of Object.entries(files)) fs.symlinkSync(path.resolve(dir, file), path.join(routesDir, `${name}.json`));
  const products = '/api/v3/brokerage/market/products';
  const routes = [
    { path: '/fapi/v1/exchangeInfo', file: 'exchangeInfo.json' },
    { method: 'POST', path: '/info', body_match: { type: 'meta' }, file: 'meta.json' },
    { method: 'POST', path: '/info', body_match: { type: 'spotMeta' }, file: 'spotMeta.json' },
    { path: products, query: { product_type: 'SPOT' }, file: 'spot.json' },
    { path: products, query: { product_type: 'FUTURE' }, file: 'future.json' },
  ];
  fs.writeFileSync(path.join(routesDir, 'routes.json'), JSON.stringify({ routes }, null, 1));
  return routesDir;
}

async function syncAll(host) {
  const summaries = [];
  const cpu0 = cpuSeconds(host.pid);
  const wall0 = performance.now();
  for (const exchange of EXCHANGES) summaries.push(await syncExchange(host, exchange));
  return { cpu: cpuSeconds(host.pid) - cpu0, wall: (performance.now() - wall0) / 1000, summaries };
}

async function main() {
  const options = parseArgs(process.argv.slice(2), { host: '', 'fake-exchange': '', out: '', fixtures: '', cpu: '', reps: '3' });
  if (!options.host || !options['fake-exchange'] || !options.out) throw new Error('--host, --fake-exchange and --out are required');
  const cpu = options.cpu === '' ? undefined : Number(options.cpu);
  const work = tempDir('mdp-bench-sync.');
  const source = recordings(options.fixtures);
  const fake = await startFake({ bin: options['fake-exchange'], args: ['--dir', writeRoutes(work, source)], log: path.join(work, 'fake.log') });
  const samples = [];
  try {
    for (let rep = 0; rep < Number(options.reps); ++rep) {
      const urls = Object.fromEntries(EXCHANGES.map((id) => [id, fake.url]));
      const host = await startHost({ bin: options.host, work: path.join(work, `host${rep}`), cpu, baseUrls: urls });
      try {
        await new Promise((resolve) => setTimeout(resolve, 500));  // start-up work done
        const first = await syncAll(host);
        const symbols = first.summaries.reduce((n, s) => n + s.added, 0);
        if (symbols === 0) throw new Error(`the first sync added nothing: ${JSON.stringify(first.summaries)}`);
        const again = await syncAll(host);
        const extra = { symbols, recordings: source.source, added: first.summaries.map((s) => `${s.exchange}:${s.added}`).join(' ') };
        samples.push({ key: 'sync/full_cpu', value: first.cpu, unit: 's', ...extra });
        samples.push({ key: 'sync/full_wall', value: first.wall, unit: 's', ...extra });
        samples.push({ key: 'sync/unchanged_cpu', value: again.cpu, unit: 's', ...extra });
      } finally {
        await host.stop();
      }
    }
    appendSamples(options.out, samples);
    for (const key of ['sync/full_cpu', 'sync/full_wall', 'sync/unchanged_cpu']) {
      const values = samples.filter((s) => s.key === key).map((s) => s.value);
      console.error(`  ${key}: median ${median(values).toFixed(3)} s over ${values.length} (${samples[0].added}, ${source.source} recordings)`);
    }
  } finally {
    await fake.stop();
    if (!process.env.MDP_BENCH_KEEP) fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`sync-time.mjs: ${error.stack ?? error}`);
  process.exit(1);
});
