// Turns one bench/run's raw results into THE table of issue 11 and (with --doc) writes it into
// docs/performance.md between the "latest-run" markers.
//
// usage: node report.mjs --results DIR --manifest FILE [--doc FILE] [--info key=value]...
// DIR holds the raw samples of every section:
//   *.gbench.json  Google Benchmark JSON (each repetition = one sample; bytes_per_second or
//                  items_per_second), from mdp-bench-parse and mdp-bench-storage;
//   *.jsonl        one {"key","value","unit",...} per line, from scripts (ccxt, footprint).
// A figure is the median of all samples of its key, over every round of the run. A row whose
// samples are missing says "not yet measured" with the reason; nothing is ever filled in.
//
// Adding a section (serve, fetch, scale): make bench/run write samples under new keys
// (e.g. serve/symbols/mdp and serve/symbols/nginx), and replace the matching notMeasured()
// row below with measured()/ratioRow() rows over those keys.
import fs from 'node:fs';
import path from 'node:path';

const BEGIN = '<!-- latest-run:begin (written by bench/report/report.mjs; edit outside the markers) -->';
const END = '<!-- latest-run:end -->';

function parseArgs(argv) {
  const options = { results: '', manifest: '', doc: '', info: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const [arg, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`missing value after ${arg}`);
    if (arg === '--results') options.results = value;
    else if (arg === '--manifest') options.manifest = value;
    else if (arg === '--doc') options.doc = value;
    else if (arg === '--info') options.info.push(value);
    else throw new Error(`unexpected argument '${arg}'`);
  }
  if (!options.results || !options.manifest) throw new Error('--results and --manifest are required');
  return options;
}

// ------------------------------------------------------------------ samples

function collectSamples(dir) {
  const samples = new Map();  // key -> {unit, values[], records[] (the JSON lines, for their extra fields)}
  const add = (key, value, unit, record) => {
    if (!Number.isFinite(value)) return;
    if (!samples.has(key)) samples.set(key, { unit, values: [], records: [] });
    samples.get(key).values.push(value);
    if (record) samples.get(key).records.push(record);
  };
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (name.endsWith('.gbench.json')) {
      const data = JSON.parse(fs.readFileSync(file, 'utf8'));
      for (const b of data.benchmarks ?? []) {
        if (b.run_type !== 'iteration' || b.error_occurred) continue;
        // "/manual_time" (storage) is how Google Benchmark names the timing mode, not the key.
        const key = (b.run_name ?? b.name).replace(/\/(manual_time|real_time)$/, '');
        if (b.bytes_per_second !== undefined) add(key, b.bytes_per_second, 'B/s');
        else if (b.items_per_second !== undefined) add(key, b.items_per_second, 'rows/s');
      }
    } else if (name.endsWith('.jsonl')) {
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const s = JSON.parse(line);
        add(s.key, s.value, s.unit, s);
      }
    }
  }
  return samples;
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

// ------------------------------------------------------------------ formatting

function formatValue(value, unit) {
  if (unit === 'B/s') return `${(value / 1e6).toFixed(value >= 1e8 ? 0 : 1)} MB/s`;
  if (unit === 'rows/s') return value >= 1e4 ? `${(value / 1e3).toFixed(0)}k rows/s` : `${value.toFixed(0)} rows/s`;
  if (unit === 'B') return `${(value / 1e6).toFixed(1)} MB`;
  if (unit === 'req/s') return `${value.toFixed(0)} req/s`;
  if (unit === 'ms') return `${value.toFixed(value >= 100 ? 0 : 1)} ms`;
  if (unit === 's') return `${value.toFixed(3)} s`;
  return `${value} ${unit}`;
}

function readManifest(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0).slice(1);
  return lines.map((line) => {
    const [status, exchange, payload, interval, rows, bytes, , note] = line.split('\t');
    return { status, exchange, payload, interval, rows: Number(rows), bytes: Number(bytes), note };
  });
}

// ------------------------------------------------------------------ rows

const NOT_MEASURED = 'not yet measured';

function buildRows(samples, manifest) {
  const rows = [];
  const stat = (key) => {
    const s = samples.get(key);
    return s && s.values.length ? { value: median(s.values), unit: s.unit, n: s.values.length } : undefined;
  };
  const missing = (key) => `no samples for ${key}: its section failed (see the run's log)`;

  // figure / baseline, with the goal on the ratio ("min": ratio >= goal; undefined: shown only).
  const ratioRow = (target, what, figureKey, baselineKey, baselineName, goal) => {
    const f = stat(figureKey);
    const b = stat(baselineKey);
    if (!f || !b) {
      rows.push({ target, what, figure: f ? formatValue(f.value, f.unit) : missing(figureKey), baseline: b ? `${baselineName} ${formatValue(b.value, b.unit)}` : missing(baselineKey), ratio: '—', goal: goal ? `≥ ${goal}×` : '—', met: goal ? 'no figure' : 'n/a' });
      return;
    }
    const ratio = f.value / b.value;
    rows.push({
      target, what,
      figure: formatValue(f.value, f.unit),
      baseline: `${baselineName} ${formatValue(b.value, b.unit)}`,
      ratio: `${ratio.toFixed(2)}×`,
      goal: goal ? `≥ ${goal}×` : '— (distance shown)',
      met: goal ? (ratio >= goal ? 'yes' : `**no** (${((1 - ratio / goal) * 100).toFixed(0)} % short)`) : 'n/a',
      samples: `${f.n}/${b.n}`,
      ratioValue: ratio,
    });
  };
  const notMeasured = (target, what, goal, why) =>
    rows.push({ target, what, figure: `${NOT_MEASURED}: ${why}`, baseline: '—', ratio: '—', goal, met: '—' });

  // 1. Parse + normalise, every plugin, every payload, two baselines.
  for (const p of manifest.filter((e) => e.status === 'ok')) {
    const base = `parse/${p.exchange}/${p.payload}`;
    const what = `parse+normalise ${p.exchange} ${p.payload} (${p.rows} rows, ${(p.bytes / 1e3).toFixed(1)} KB)`;
    ratioRow('1', what, `${base}/plugin`, `${base}/ccxt`, 'ccxt', 5);
    ratioRow('1', what, `${base}/plugin`, `${base}/simdjson_dom`, 'simdjson DOM', 0.35);
  }

  // 2. Serve (needs GET /v1/symbols and GET /v1/candles).
  // bench/serve/serve: wrk -t1 -c32 at saturation, server and wrk on separate cores, the same
  // bytes from nginx (static file, sendfile); latency from the open-loop client at a fixed rate.
  const payload = (name) => {
    const record = samples.get(`serve/payload/${name}`)?.records[0];
    return record ? ` (${record.rows.toLocaleString('en-US')} rows, ${(record.value / 1e3).toFixed(0)} KB)` : '';
  };
  const serveWhat = {
    symbols: 'serve GET /v1/symbols?exchange=binance_futures&limit=1000, a full exchange',
    candles: 'serve GET /v1/candles, 1,000 closed 1h candles',
  };
  for (const name of ['symbols', 'candles']) {
    ratioRow('2', `${serveWhat[name]}${payload(name)}, JWT on every request, vs nginx static`, `serve/${name}/mdp`, `serve/${name}/nginx`, 'nginx', 0.8);
  }
  for (const name of ['symbols', 'candles']) {
    const [m50, m99, n50, n99] = ['mdp/p50', 'mdp/p99', 'nginx/p50', 'nginx/p99'].map((k) => stat(`serve/${name}/${k}`));
    const rate = samples.get(`serve/${name}/mdp/p99`)?.records[0]?.openloop?.rate;
    const what = `serve ${name}: p50 / p99 latency, open loop at a fixed ${rate ? `${rate} req/s` : 'rate'} (bench/serve/openloop.mjs)`;
    rows.push({
      target: '2', what,
      figure: m50 && m99 ? `${formatValue(m50.value, 'ms')} / ${formatValue(m99.value, 'ms')}` : missing(`serve/${name}/mdp/p99`),
      baseline: n50 && n99 ? `nginx ${formatValue(n50.value, 'ms')} / ${formatValue(n99.value, 'ms')}` : missing(`serve/${name}/nginx/p99`),
      ratio: m99 && n99 ? `${(m99.value / n99.value).toFixed(2)}× (p99)` : '—', goal: 'report', met: 'n/a',
    });
  }
  // 3. Fetch.
  // Times (lower is better): figure / baseline must stay at or below the goal.
  const timeRow = (target, what, figureKey, baselineKey, baselineName, maxRatio) => {
    const f = stat(figureKey);
    const b = stat(baselineKey);
    if (!f || !b) {
      rows.push({ target, what, figure: f ? formatValue(f.value, f.unit) : missing(figureKey), baseline: b ? `${baselineName} ${formatValue(b.value, b.unit)}` : missing(baselineKey), ratio: '—', goal: maxRatio ? `≤ ${maxRatio}×` : '—', met: maxRatio ? 'no figure' : 'n/a' });
      return;
    }
    const ratio = f.value / b.value;
    rows.push({
      target, what, figure: formatValue(f.value, f.unit), baseline: `${baselineName} ${formatValue(b.value, b.unit)}`,
      ratio: `${ratio.toFixed(2)}×`, goal: maxRatio ? `≤ ${maxRatio}×` : '— (distance shown)',
      met: maxRatio ? (ratio <= maxRatio ? 'yes' : `**no** (${((ratio / maxRatio - 1) * 100).toFixed(0)} % over)`) : 'n/a',
    });
  };
  // 3. Fetch (bench/fetch/fetch.mjs): 10,000 1m candles, fake Binance +50 ms before every response.
  const rtt = 'fetch/one_page_rtt';
  timeRow('3', 'fetch 10,000 1m candles through GET /v1/candles (7 pages, cold), vs one page round trip (1500 rows)', 'fetch/mdp_10k', rtt, 'one page', 2);
  for (const key of [...samples.keys()].filter((k) => k.startsWith('fetch/mdp_10k/concurrency_')).sort()) {
    timeRow('3', `… the same with upstream.binance_futures.candle_concurrency = ${key.split('_').pop()}`, key, rtt, 'one page');
  }
  timeRow('3', 'ccxt fetchOHLCV 10,000 1m, paginate: true (ccxt 1000/call, parallel, its rate limiter) vs mdp', 'fetch/ccxt_paginate_10k', 'fetch/mdp_10k', 'mdp');
  timeRow('3', 'ccxt fetchOHLCV 10,000 1m, since-loop of 1500-row calls vs mdp', 'fetch/ccxt_loop_10k', 'fetch/mdp_10k', 'mdp');

  // 4. Footprint.
  const rssRow = (key, what) => {
    const rss = stat(key);
    const limit = 40e6;
    rows.push({
      target: '4', what,
      figure: rss ? formatValue(rss.value, 'B') : missing(key), baseline: '—', ratio: '—', goal: '< 40 MB',
      met: !rss ? 'no figure' : rss.value < limit ? 'yes' : `**no** (${((rss.value / limit - 1) * 100).toFixed(0)} % over)`,
    });
  };
  rssRow('footprint/idle_rss_first_start', 'idle mdp-host RSS, 3 plugins, SQLite, --dev, first start on a fresh file');
  rssRow('footprint/idle_rss', 'idle mdp-host RSS, 3 plugins, SQLite, --dev, restart on the same file');
  // bench/fetch/sync-time.mjs: host CPU time around POST /v1/admin/sync of the three exchanges.
  const syncRow = (key, what) => {
    const t = stat(key);
    const record = samples.get(key)?.records[0];
    rows.push({
      target: '4', what: record ? `${what} (${record.symbols} symbols, ${record.recordings} recordings)` : what,
      figure: t ? formatValue(t.value, 's') : missing(key), baseline: '—', ratio: '—', goal: '< 1 s',
      met: !t ? 'no figure' : t.value < 1 ? 'yes' : `**no** (${((t.value - 1) * 100).toFixed(0)} % over)`,
    });
  };
  syncRow('sync/full_cpu', 'full metadata sync of the three exchanges, host CPU time, first sync (all new)');
  syncRow('sync/unchanged_cpu', 'the same sync again (all unchanged), host CPU time');
  {
    const [early, late] = [stat('serve/rss_5s'), stat('serve/rss_end')];
    const seconds = samples.get('serve/rss_end')?.records[0]?.seconds ?? 60;
    const ratio = early && late ? late.value / early.value : undefined;
    rows.push({
      target: '4', what: `mdp-host RSS after ${seconds} s of saturated serving (candles and symbols) vs after the first 5 s`,
      figure: late ? formatValue(late.value, 'B') : missing('serve/rss_end'),
      baseline: early ? `at 5 s ${formatValue(early.value, 'B')}` : missing('serve/rss_5s'),
      ratio: ratio ? `${ratio.toFixed(2)}×` : '—', goal: '≤ 1.10×',
      met: !ratio ? 'no figure' : ratio <= 1.1 ? 'yes' : `**no** (${((ratio / 1.1 - 1) * 100).toFixed(0)} % over)`,
    });
  }

  // 5. Scale curve.
  // bench/fetch/scale.mjs: latency, size and bytes/s per size; linear = the cost per row does
  // not grow with the size (each size at most 1.25× the per-row cost of the size before).
  for (const [route, unitName] of [['candles', 'rows'], ['symbols', 'symbols']]) {
    let previous;
    for (const n of [100, 1000, 10000]) {
      const key = `scale/${route}/${n}`;
      const t = stat(key);
      const what = route === 'candles'
        ? `scale: GET /v1/candles, ${n.toLocaleString('en-US')} 1m candles (cold, fake Binance without delay)`
        : `scale: GET /v1/symbols, ${n.toLocaleString('en-US')} symbols, full walk at limit=1000 (cold host)`;
      if (!t) {
        rows.push({ target: '5', what, figure: missing(key), baseline: '—', ratio: '—', goal: 'linear', met: 'no figure' });
        previous = undefined;
        continue;
      }
      const bytes = median(samples.get(key).records.map((r) => r.bytes));
      const cpu = median(samples.get(key).records.map((r) => r.host_cpu_ms ?? NaN));
      const perRow = (t.value * 1e3) / n;  // µs
      const growth = previous ? perRow / previous : undefined;
      rows.push({
        target: '5', what,
        figure: `${formatValue(t.value, 'ms')} (host CPU ${Number.isFinite(cpu) ? cpu.toFixed(0) : '?'} ms), ${(bytes / 1e3).toFixed(0)} KB, ${formatValue((bytes * 1e3) / t.value, 'B/s')}`,
        baseline: `${perRow.toFixed(1)} µs per ${unitName.replace(/s$/, '')}`,
        ratio: growth ? `${growth.toFixed(2)}× per row vs ${(n / 10).toLocaleString('en-US')}` : '—',
        goal: 'linear (≤ 1.25× per row)',
        met: growth === undefined ? 'n/a' : growth <= 1.25 ? 'yes' : `**no** (${((growth - 1) * 100).toFixed(0)} % more per row)`,
      });
      previous = perRow;
    }
  }

  // 6. Storage: distance to the limits, no pass/fail goal.
  const copy = 'storage/postgresql/copy_temp_table';
  ratioRow('6', 'PostgreSQL apply_sync, 10,000 symbols all new', 'storage/postgresql/apply_sync_new', copy, 'libpq COPY (temp table)');
  ratioRow('6', 'PostgreSQL apply_sync, 10,000 symbols all unchanged', 'storage/postgresql/apply_sync_unchanged', copy, 'libpq COPY (temp table)');
  ratioRow('6', 'libpq COPY into a logged table like symbols', 'storage/postgresql/copy_logged_table', copy, 'libpq COPY (temp table)');
  ratioRow('6', 'SQLite apply_sync, 10,000 symbols all new', 'storage/sqlite/apply_sync_new', copy, 'libpq COPY (temp table)');
  ratioRow('6', 'SQLite apply_sync, 10,000 symbols all unchanged', 'storage/sqlite/apply_sync_unchanged', copy, 'libpq COPY (temp table)');
  ratioRow('6', 'SQLite apply_sync, 10,000 symbols all new', 'storage/sqlite/apply_sync_new', 'storage/sqlite/bare_insert', 'bare sqlite3 insert');
  return rows;
}

// ------------------------------------------------------------------ output

function table(rows) {
  const head = '| target | what | figure | baseline | ratio | goal | met? |\n|---|---|---:|---:|---:|---|---|';
  const body = rows.map((r) => `| ${r.target} | ${r.what} | ${r.figure} | ${r.baseline} | ${r.ratio} | ${r.goal} | ${r.met} |`);
  return [head, ...body].join('\n');
}

function summary(rows) {
  const goals = rows.filter((r) => r.met === 'yes' || r.met.startsWith('**no**'));
  const missed = goals.filter((r) => r.met !== 'yes');
  const open = rows.filter((r) => r.figure.startsWith(NOT_MEASURED)).length;
  return `${goals.length - missed.length} of ${goals.length} measured goals met` +
         (missed.length ? ` (missed: ${missed.map((r) => `${r.what} vs ${r.baseline.split(' ')[0]}`).join('; ')})` : '') +
         `; ${open} rows not yet measured.`;
}

function render(rows, manifest, info, samples) {
  const skipped = manifest.filter((e) => e.status !== 'ok');
  const lines = [];
  lines.push('| machine / run | |', '|---|---|');
  for (const [k, v] of info) lines.push(`| ${k} | ${String(v).replace(/\|/g, '\\|')} |`);
  lines.push('', table(rows), '', `**${summary(rows)}**`, '');
  if (skipped.length) {
    lines.push('Recorded files not measured (the plugin does not parse them):');
    for (const e of skipped) lines.push(`- ${e.exchange} ${e.payload}: ${e.note}`);
    lines.push('');
  }
  const notes = manifest.filter((e) => e.status === 'ok' && e.note);
  for (const e of notes) lines.push(`- ${e.exchange} ${e.payload}: ${e.note}`);
  for (const [key, s] of samples) {
    const bad = s.records.filter((r) => r.stop_exit_status !== undefined && r.stop_exit_status !== 0);
    if (bad.length) {
      const statuses = [...new Set(bad.map((r) => r.stop_exit_status))].join(', ');
      lines.push(`- ${key}: mdp-host did not stop cleanly on SIGTERM in ${bad.length} of ${s.records.length} starts (exit status ${statuses}; 134 = abort)`);
    }
  }
  return lines.join('\n');
}

function updateDoc(file, text) {
  const doc = fs.readFileSync(file, 'utf8');
  const begin = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${file}: the latest-run markers are missing`);
  fs.writeFileSync(file, `${doc.slice(0, begin + BEGIN.length)}\n${text}\n${doc.slice(end)}`);
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const samples = collectSamples(options.results);
  const manifest = readManifest(options.manifest);
  const info = options.info.map((kv) => {
    const at = kv.indexOf('=');
    return at < 0 ? [kv, ''] : [kv.slice(0, at), kv.slice(at + 1)];
  });
  const rows = buildRows(samples, manifest);
  const text = render(rows, manifest, info, samples);
  process.stdout.write(`${text}\n`);
  // Every median with its sample count, for whoever digs deeper.
  const medians = Object.fromEntries([...samples].map(([k, s]) => [k, { median: median(s.values), unit: s.unit, samples: s.values.length, min: Math.min(...s.values), max: Math.max(...s.values) }]));
  fs.writeFileSync(path.join(options.results, 'medians.json'), JSON.stringify(medians, null, 2));
  if (options.doc) updateDoc(options.doc, text);
}

try {
  main();
} catch (error) {
  console.error(`report: ${error.message}`);
  process.exit(1);
}
