// `npm run bench -- validation [quality|throughput] [--rows N]`: the corruption quality suite on
// real vega-datasets, and profiling throughput (read + statistics) next to DuckDB's SUMMARIZE on
// the same files in the same run (flights-3m.parquet and a generated 10M x 20 CSV under /tmp).
import { createWriteStream, existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { readTable } from '../src/core/data/index.js';
import { Rng } from '../src/core/rng.js';
import { profileFile, runQualitySuite } from '../src/validation/index.js';

const vega = (f: string) =>
  join(dirname(dirname(createRequire(import.meta.url).resolve('vega-datasets'))), 'data', f);

async function quality(): Promise<void> {
  const flights = await readTable(vega('flights-3m.parquet'), { maxRows: 400_000 });
  const datasets = [
    { name: 'flights-3m (first 400k)', table: flights },
    { name: 'flights-20k', table: await readTable(vega('flights-20k.json')) },
    {
      name: 'seattle-weather',
      table: await readTable(vega('seattle-weather.csv')),
      label: 'weather',
    },
    { name: 'movies', table: await readTable(vega('movies.json')), label: 'Major Genre' },
    { name: 'cars', table: await readTable(vega('cars.json')), label: 'Origin' },
    { name: 'penguins', table: await readTable(vega('penguins.json')), label: 'Species' },
    {
      name: 'birdstrikes',
      table: await readTable(vega('birdstrikes.csv')),
      label: 'Effect Amount of damage',
    },
  ];
  const r = runQualitySuite(datasets, {
    seed: 1,
    referenceRows: 16_000,
    cleanSizes: [200, 1000, 5000, 15_000],
    corruptSizes: [200, 2000],
    repeats: 3,
  });
  const kinds = [...new Set(r.corrupted.map((c) => c.kind))];
  console.log('\nquality: recall per corruption (caught with the right feature / injected)');
  for (const k of kinds) {
    const cs = r.corrupted.filter((c) => c.kind === k);
    console.log(`  ${k.padEnd(20)} ${cs.filter((c) => c.ok).length}/${cs.length}`);
  }
  const sizes = [...new Set(r.clean.map((c) => c.size))].sort((a, b) => a - b);
  console.log('false alarms on clean batches, by size:');
  for (const s of sizes) {
    const cs = r.clean.filter((c) => c.size === s);
    console.log(`  ${String(s).padEnd(8)} ${cs.filter((c) => !c.ok).length}/${cs.length}`);
  }
  console.log(
    `recall ${(100 * r.recall).toFixed(1)}% (${r.corrupted.filter((c) => c.ok).length}/${r.corrupted.length}), false-alarm rate ${(100 * r.falseAlarmRate).toFixed(1)}% (${r.clean.filter((c) => !c.ok).length}/${r.clean.length})`,
  );
  for (const c of r.clean.filter((x) => !x.ok))
    console.log(
      `  false alarm: ${c.dataset} n=${c.size}: ${c.anomalies.map((a) => `${a.feature} ${a.type} ${a.value} > ${a.threshold}`).join('; ')}`,
    );
  for (const c of r.corrupted.filter((x) => !x.ok))
    console.log(`  missed: ${c.dataset} ${c.kind} n=${c.size} (${c.note})`);
}

async function generateCsv(path: string, rows: number): Promise<void> {
  const rng = new Rng(42);
  const out = createWriteStream(path);
  const header = [
    ...Array.from({ length: 12 }, (_, i) => `x${i}`),
    ...Array.from({ length: 8 }, (_, i) => `s${i}`),
  ];
  out.write(header.join(',') + '\n');
  const cats = Array.from({ length: 8 }, (_, j) =>
    Array.from({ length: 10 * (j + 1) ** 2 }, (_, k) => `c${j}_${k}`),
  );
  let buf = '';
  for (let r = 0; r < rows; r++) {
    const line: string[] = [];
    for (let i = 0; i < 12; i++)
      line.push(i % 3 === 0 ? String(rng.int(0, 1000)) : (rng.normal() * (i + 1)).toFixed(4));
    for (let j = 0; j < 8; j++) {
      const c = cats[j] as string[];
      line.push(c[Math.min(c.length - 1, Math.floor(c.length * rng.float() ** 2))] as string);
    }
    buf += line.join(',') + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((res) => out.once('drain', () => res()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((res) => out.end(() => res()));
}

async function timed<T>(fn: () => Promise<T>): Promise<{ s: number; rssMb: number; v: T }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  try {
    const v = await fn();
    return {
      s: (performance.now() - t0) / 1000,
      rssMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20,
      v,
    };
  } finally {
    clearInterval(timer);
  }
}

async function summarize(path: string, src: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.runAndReadAll(`SUMMARIZE SELECT * FROM ${src}('${path}')`);
  conn.closeSync();
  db.closeSync();
}

async function throughput(rows: number): Promise<void> {
  const csv = '/tmp/mortar-validation-bench.csv';
  if (!existsSync(csv)) {
    console.log(`generating ${rows.toLocaleString()} x 20 CSV at ${csv} ...`);
    await generateCsv(csv, rows);
  }
  const files = [
    {
      name: 'flights-3m.parquet',
      path: vega('flights-3m.parquet'),
      src: 'read_parquet',
      rows: 3_000_000,
    },
    { name: `generated ${rows / 1e6}M x 20 CSV`, path: csv, src: 'read_csv', rows },
  ];
  console.log('\nthroughput (read + statistics), same run, same files');
  console.log(
    'file                          | engine             | seconds | rows/s      | peak RSS MB | ratio vs SUMMARIZE',
  );
  for (const f of files) {
    const duck = await timed(() => summarize(f.path, f.src));
    const mortar = await timed(() => profileFile(f.path));
    for (const [label, m] of [
      ['DuckDB SUMMARIZE', duck],
      ['mortar profileFile', mortar],
    ] as const) {
      console.log(
        `${f.name.padEnd(29)} | ${label.padEnd(18)} | ${m.s.toFixed(2).padStart(7)} | ${Math.round(
          f.rows / m.s,
        )
          .toLocaleString()
          .padStart(11)} | ${m.rssMb.toFixed(0).padStart(11)} | ${(duck.s / m.s).toFixed(2)}x`,
      );
    }
  }
  if (process.argv.includes('--clean')) await rm(csv, { force: true });
}

/** Entry point for `npm run bench -- validation`. */
export async function run(args: string[]): Promise<void> {
  const what = args.find((a) => !a.startsWith('--')) ?? 'all';
  const i = args.indexOf('--rows');
  const rows = i >= 0 ? Number(args[i + 1]) : 10_000_000;
  if (what === 'all' || what === 'quality') await quality();
  if (what === 'all' || what === 'throughput') await throughput(rows);
}
