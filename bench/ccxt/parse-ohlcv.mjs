// ccxt baseline of issue 11 target 1: for every payload in the manifest written by
// mdp-bench-payloads, time what ccxt does with a candle response: JSON.parse of the body +
// the exchange class's parseOHLCVs (binance_futures -> binanceusdm, hyperliquid ->
// hyperliquid, coinbase -> coinbase, whose rows sit under "candles"). The body is read into a
// string before timing, as the C++ side gets its bytes already in memory.
//
// usage: node parse-ohlcv.mjs --manifest DIR/manifest.tsv [--rounds 3] [--min-time 0.2] [--out FILE]
// Each round runs the payload until it has used --min-time seconds of process CPU time and
// records bytes per CPU second; one JSON line per round goes to --out (or stdout):
//   {"key":"parse/<exchange>/<payload>/ccxt","value":<bytes/s>,"unit":"B/s","rows":<n>}
import fs from 'node:fs';
import ccxt from 'ccxt';

const CLASSES = { binance_futures: 'binanceusdm', hyperliquid: 'hyperliquid', coinbase: 'coinbase' };

function parseArgs(argv) {
  const options = { manifest: '', rounds: 3, minTime: 0.2, out: '' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--manifest' && value) options.manifest = value;
    else if (arg === '--rounds' && value) options.rounds = Number(value);
    else if (arg === '--min-time' && value) options.minTime = Number(value);
    else if (arg === '--out' && value) options.out = value;
    else throw new Error(`unexpected argument '${arg}'`);
    i++;
  }
  if (!options.manifest) throw new Error('--manifest is required');
  if (!(options.rounds >= 1) || !(options.minTime > 0)) throw new Error('--rounds >= 1 and --min-time > 0');
  return options;
}

// The manifest format is in bench/payloads/PayloadManifest.hpp.
function readManifest(path) {
  const lines = fs.readFileSync(path, 'utf8').split('\n').filter((line) => line.length > 0);
  if (lines[0] !== 'status\texchange\tpayload\tinterval\trows\tbytes\tfile\tnote') {
    throw new Error(`${path}: not a payload manifest`);
  }
  return lines.slice(1).map((line) => {
    const [status, exchange, payload, interval, rows, bytes, file] = line.split('\t');
    return { status, exchange, payload, interval, rows: Number(rows), bytes: Number(bytes), file };
  });
}

function cpuSeconds() {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

// One parse of the body, exactly the ccxt path: JSON.parse, then parseOHLCVs.
function makeJob(entry) {
  const className = CLASSES[entry.exchange];
  if (!className) throw new Error(`no ccxt class for exchange '${entry.exchange}'`);
  const exchange = new ccxt[className]();
  const body = fs.readFileSync(entry.file, 'utf8');
  const rowsOf = entry.exchange === 'coinbase' ? (data) => data.candles : (data) => data;
  return () => exchange.parseOHLCVs(rowsOf(JSON.parse(body)), undefined, entry.interval).length;
}

// Runs `job` until `seconds` of CPU time have passed; returns [iterations, cpu seconds].
function runFor(job, seconds) {
  let iterations = 0;
  let sink = 0;
  const start = cpuSeconds();
  let elapsed = 0;
  do {
    for (let i = 0; i < 8; i++) sink += job();
    iterations += 8;
    elapsed = cpuSeconds() - start;
  } while (elapsed < seconds);
  if (sink < 0) console.error(sink);  // keeps the results alive
  return [iterations, elapsed];
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const version = JSON.parse(fs.readFileSync(new URL('./node_modules/ccxt/package.json', import.meta.url), 'utf8')).version;
  const lines = [];
  for (const entry of readManifest(options.manifest)) {
    if (entry.status !== 'ok') continue;
    const job = makeJob(entry);
    const rows = job();
    if (rows !== entry.rows) {
      throw new Error(`${entry.exchange} ${entry.payload}: ccxt returned ${rows} rows, the plugin ${entry.rows}`);
    }
    runFor(job, Math.max(0.3, options.minTime));  // warm-up: let the JIT settle
    const key = `parse/${entry.exchange}/${entry.payload}/ccxt`;
    const samples = [];
    for (let round = 0; round < options.rounds; round++) {
      const [iterations, seconds] = runFor(job, options.minTime);
      const value = (entry.bytes * iterations) / seconds;
      samples.push(value);
      lines.push(JSON.stringify({ key, value, unit: 'B/s', rows, ccxt: version }));
    }
    samples.sort((a, b) => a - b);
    console.error(`  ${key}: ${(samples[samples.length >> 1] / 1e6).toFixed(1)} MB/s (median of ${samples.length})`);
  }
  const text = lines.join('\n') + '\n';
  if (options.out) fs.appendFileSync(options.out, text);
  else process.stdout.write(text);
}

try {
  main();
} catch (error) {
  console.error(`parse-ohlcv: ${error.message}`);
  process.exit(1);
}
