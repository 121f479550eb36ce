import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMortarError, type MortarError } from '../errors.js';
import {
  RecordBatch,
  Reservoir,
  concatBatches,
  findRaggedRow,
  fromArrow,
  hashUnit,
  readBatches,
  readSchema,
  readTable,
  splitAssigner,
  toArrow,
  writeTable,
  type Schema,
} from './index.js';

const DATA = 'node_modules/vega-datasets/data';
const FLIGHTS = `${DATA}/flights-3m.parquet`;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mortar-data-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function caught(p: Promise<unknown>): Promise<MortarError> {
  try {
    await p;
  } catch (e) {
    if (isMortarError(e)) return e;
    throw e;
  }
  throw new Error('expected a MortarError');
}

const SCHEMA: Schema = [
  { name: 'id', type: 'int64', nullable: false },
  { name: 'x', type: 'float64', nullable: true },
  { name: 'name', type: 'string', nullable: true },
  { name: 'ok', type: 'bool', nullable: true },
  { name: 'at', type: 'timestamp', nullable: true },
  { name: 'day', type: 'date', nullable: true },
];
const ROWS = [
  {
    id: 1,
    x: 1.5,
    name: 'a',
    ok: true,
    at: new Date('2024-01-02T03:04:05.006Z'),
    day: new Date('2024-01-02'),
  },
  { id: 2, x: null, name: null, ok: null, at: null, day: null },
  { id: 3, x: -2, name: 'a', ok: false, at: new Date(0), day: new Date('1999-12-31') },
];

describe('RecordBatch', () => {
  it('builds from rows and reads them back row-wise and column-wise', () => {
    const b = RecordBatch.fromRows(SCHEMA, ROWS);
    expect(b.numRows).toBe(3);
    expect([...b.rows()]).toEqual(ROWS);
    const x = b.column('x');
    expect(x.kind).toBe('number');
    if (x.kind === 'number') {
      expect(Number.isNaN(x.values[1])).toBe(true);
      expect(x.nullCount).toBe(1);
    }
    const name = b.column('name');
    if (name.kind !== 'string') throw new Error('string column expected');
    expect(name.dictionary).toEqual(['a']);
    expect([...name.codes]).toEqual([0, -1, 0]);
    expect(() => b.column('nope')).toThrow(/columns are: id, x, name/);
  });

  it('take, slice and concat keep values and merge dictionaries', () => {
    const b = RecordBatch.fromRows(SCHEMA, ROWS);
    expect(b.take([2, 0]).row(0)).toEqual(ROWS[2]);
    expect(b.slice(1).numRows).toBe(2);
    const other = RecordBatch.fromRows(SCHEMA, [{ ...ROWS[0], name: 'zz' }]);
    const all = concatBatches(SCHEMA, [b, other]);
    expect(all.numRows).toBe(4);
    expect(all.row(3)['name']).toBe('zz');
    expect(all.row(1)['name']).toBe(null);
  });

  it('round-trips through Apache Arrow', () => {
    const b = RecordBatch.fromRows(SCHEMA, ROWS);
    const back = fromArrow(toArrow(b));
    expect([...back.rows()]).toEqual(ROWS);
    expect(back.schema.map((f) => f.type)).toEqual([
      'int64',
      'float64',
      'string',
      'bool',
      'timestamp',
      'date',
    ]);
  });
});

describe('readBatches', () => {
  it('decodes Parquet exactly like DuckDB does', async () => {
    const got = await readTable(FLIGHTS, { maxRows: 5000, batchRows: 1000 });
    expect(got.numRows).toBe(5000);
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const r = await conn.runAndReadAll(
      `SELECT epoch_ms(date)::DOUBLE AS date, delay::DOUBLE AS delay, distance::DOUBLE AS distance, origin, destination FROM read_parquet('${FLIGHTS}') LIMIT 5000`,
    );
    const want = r.getRowObjectsJS();
    conn.closeSync();
    inst.closeSync();
    for (const i of [0, 1, 999, 1000, 2047, 2048, 4999]) {
      const row = got.row(i);
      const w = want[i] as Record<string, unknown>;
      expect((row['date'] as Date).getTime()).toBe(w['date']);
      expect(row['delay']).toBe(w['delay']);
      expect(row['distance']).toBe(w['distance']);
      expect(row['origin']).toBe(w['origin']);
      expect(row['destination']).toBe(w['destination']);
    }
  });

  it('streams batches of the requested size and honours maxRows and columns', async () => {
    const sizes: number[] = [];
    for await (const b of readBatches(FLIGHTS, {
      maxRows: 10_000,
      batchRows: 3000,
      columns: ['origin', 'delay'],
    })) {
      sizes.push(b.numRows);
      expect(b.schema.map((f) => f.name)).toEqual(['origin', 'delay']);
    }
    expect(sizes).toEqual([3000, 3000, 3000, 1000]);
  });

  it('reads CSV, TSV, JSON and Arrow IPC with typed columns', async () => {
    const csv = await readTable(`${DATA}/seattle-weather.csv`);
    expect(csv.numRows).toBe(1461);
    expect(csv.schema.map((f) => f.type)).toEqual([
      'date',
      'float64',
      'float64',
      'float64',
      'float64',
      'string',
    ]);
    expect(csv.row(0)).toMatchObject({ precipitation: 0, temp_max: 12.8, weather: 'drizzle' });
    const tsv = await readTable(`${DATA}/unemployment.tsv`, { maxRows: 3 });
    expect(tsv.schema.map((f) => f.name)).toEqual(['id', 'rate']);
    const json = await readTable(`${DATA}/penguins.json`);
    expect(json.numRows).toBe(344);
    expect(json.column('Beak Length (mm)').nullCount).toBe(2);
    const arrow = await readTable(`${DATA}/flights-200k.arrow`);
    expect(arrow.numRows).toBe(200_000);
    expect(arrow.schema.map((f) => f.type)).toEqual(['int16', 'int16', 'float32']);
    const nd = join(dir, 'x.ndjson');
    writeFileSync(nd, '{"a":1,"b":"x"}\n{"a":null,"b":"y"}\n');
    expect([...(await readTable(nd)).rows()]).toEqual([
      { a: 1, b: 'x' },
      { a: null, b: 'y' },
    ]);
  });

  it('refuses int64 beyond 2^53 as numbers, naming the column, and keeps them as bigint on request', async () => {
    const p = join(dir, 'big.csv');
    writeFileSync(p, 'id,v\n1,2\n9007199254740993,3\n');
    const e = await caught(readTable(p));
    expect(e.code).toBe('DATA_INVALID');
    expect(e.message).toContain('column "id", row 2');
    const t = await readTable(p, { int64: 'bigint' });
    expect(t.row(1)['id']).toBe(9007199254740993n);
  });
});

describe('read errors', () => {
  it('missing file: NOT_FOUND naming the path', async () => {
    const e = await caught(readTable(join(dir, 'missing.parquet')));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain('missing.parquet');
  });

  it('truncated Parquet: DATA_INVALID naming the file', async () => {
    const p = join(dir, 'trunc.parquet');
    writeFileSync(p, readFileSync(FLIGHTS).subarray(0, 200_000));
    const e = await caught(readTable(p));
    expect(e.code).toBe('DATA_INVALID');
    expect(e.message).toContain('trunc.parquet');
    expect(e.message).toMatch(/Parquet/);
  });

  it('ragged CSV row: DATA_INVALID naming file, line and row', async () => {
    const p = join(dir, 'ragged.csv');
    writeFileSync(p, 'a,b,c\n1,2,3\n4,5,6\n7,8\n9,10,11\n');
    const e = await caught(readTable(p));
    expect(e.code).toBe('DATA_INVALID');
    expect(e.message).toContain('ragged.csv, line 4 (data row 3): expected 3 fields');
    expect(e.details).toMatchObject({ line: 4, row: 3, expected: 3, found: 2 });
  });

  it('ragged row far past the sniffer sample is found too', async () => {
    const p = join(dir, 'ragged-late.csv');
    const lines = ['a,b'];
    for (let i = 0; i < 30_000; i++) lines.push(`${i},${i * 2}`);
    lines.push('1,2,3');
    writeFileSync(p, `${lines.join('\n')}\n`);
    const e = await caught(readTable(p));
    expect(e.code).toBe('DATA_INVALID');
    expect(e.message).toContain('line 30002 (data row 30001)');
  });

  it('invalid UTF-8: DATA_INVALID naming file and line, with the iconv fix', async () => {
    const p = join(dir, 'latin1.csv');
    writeFileSync(
      p,
      Buffer.concat([Buffer.from('name,x\nok,1\ncaf'), Buffer.from([0xe9]), Buffer.from(',2\n')]),
    );
    const e = await caught(readTable(p));
    expect(e.code).toBe('DATA_INVALID');
    expect(e.message).toContain('latin1.csv, line 3');
    expect(e.message).toContain('iconv -f latin1 -t utf-8');
  });

  it('unknown extension: UNSUPPORTED with the --format fix', async () => {
    const e = await caught(readTable(join(dir, 'x.xlsx')));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.message).toContain('--format');
  });

  it('findRaggedRow honours quotes and CRLF', async () => {
    const p = join(dir, 'quoted.csv');
    writeFileSync(p, 'a,b\r\n"x,y",1\r\n"multi\nline",2\r\n3\r\n');
    expect(await findRaggedRow(p, ',')).toMatchObject({ line: 5, row: 3, expected: 2, found: 1 });
  });
});

describe('write', () => {
  it.each(['parquet', 'csv', 'ndjson', 'json', 'arrow'])('round-trips %s', async (ext) => {
    const b = RecordBatch.fromRows(SCHEMA, ROWS);
    const p = join(dir, `rt.${ext}`);
    const { rows } = await writeTable(p, [b.slice(0, 2), b.slice(2)]);
    expect(rows).toBe(3);
    const back = await readTable(p);
    expect(back.numRows).toBe(3);
    expect(back.row(0)['name']).toBe('a');
    expect(back.row(1)['x']).toBe(null);
    expect(back.row(2)['x']).toBe(-2);
    if (ext === 'parquet' || ext === 'arrow') expect([...back.rows()]).toEqual(ROWS);
  });
});

describe('Reservoir', () => {
  const numbers = (n: number) =>
    RecordBatch.fromRows(
      [{ name: 'i', type: 'int32', nullable: false }],
      Array.from({ length: n }, (_, i) => ({ i })),
    );
  const sample = (k: number, seed: number, batches: RecordBatch[]) => {
    const r = new Reservoir(k, seed);
    for (const b of batches) r.offer(b);
    return [...r.result().rows()].map((x) => x['i'] as number);
  };

  it('is deterministic per seed, without replacement, in input order', () => {
    const batches = [numbers(1000), numbers(1000)];
    const a = sample(50, 7, batches);
    expect(a).toEqual(sample(50, 7, batches));
    expect(a).not.toEqual(sample(50, 8, batches));
    expect(a).toHaveLength(50);
    expect(new Set(a.map((v, j) => `${v}:${j}`)).size).toBe(50);
  });

  it('keeps everything when the stream is shorter than k', () => {
    expect(sample(10, 1, [numbers(4)])).toEqual([0, 1, 2, 3]);
  });

  it('is uniform: every position is picked about k/n of the time', () => {
    const counts = new Array(20).fill(0) as number[];
    for (let seed = 0; seed < 2000; seed++) {
      const r = new Reservoir(5, seed);
      r.offer(numbers(20));
      for (const row of r.result().rows())
        counts[row['i'] as number] = (counts[row['i'] as number] ?? 0) + 1;
    }
    // Expected 500 each; binomial sd ~19.4. Allow 5 sd.
    for (const c of counts) expect(Math.abs(c - 500)).toBeLessThan(100);
  });
});

describe('split', () => {
  const b = RecordBatch.fromRows(
    [
      { name: 'user', type: 'string', nullable: true },
      { name: 'v', type: 'float64', nullable: false },
    ],
    Array.from({ length: 10_000 }, (_, i) => ({ user: `u${i % 500}`, v: i })),
  );

  it('random fractions: about the asked shares, same seed same split', () => {
    const parts = splitAssigner({ fractions: [0.8, 0.2], seed: 3 })(b);
    const test = parts.filter((p) => p === 1).length;
    expect(test).toBeGreaterThan(1800);
    expect(test).toBeLessThan(2200);
    expect([...splitAssigner({ fractions: [0.8, 0.2], seed: 3 })(b)]).toEqual([...parts]);
  });

  it('group-aware: a group never straddles parts', () => {
    const parts = splitAssigner({ fractions: [0.5, 0.5], by: 'user', seed: 1 })(b);
    const seen = new Map<unknown, number>();
    for (let i = 0; i < b.numRows; i++) {
      const u = b.row(i)['user'];
      expect(seen.get(u) ?? parts[i]).toBe(parts[i]);
      seen.set(u, parts[i] as number);
    }
    const inTest = [...seen.values()].filter((p) => p === 1).length;
    expect(inTest).toBeGreaterThan(200);
    expect(inTest).toBeLessThan(300);
  });

  it('rejects fractions that do not sum to 1', () => {
    expect(() => splitAssigner({ fractions: [0.7, 0.2], seed: 1 })).toThrow(/summing to 1/);
  });

  it('hashUnit depends on the seed', () => {
    expect(hashUnit('abc', 1)).not.toBe(hashUnit('abc', 2));
    expect(hashUnit('abc', 1)).toBe(hashUnit('abc', 1));
  });
});

describe('readSchema', () => {
  it('reports types and the Parquet row count without scanning', async () => {
    const s = await readSchema(FLIGHTS);
    expect(s.numRows).toBe(3_000_000);
    expect(s.schema.map((f) => `${f.name}:${f.type}`)).toEqual([
      'date:timestamp',
      'delay:int64',
      'distance:int64',
      'origin:string',
      'destination:string',
    ]);
  });
});

describe('readBatches parallel mode', () => {
  async function collect(path: string, opts: Parameters<typeof readBatches>[1]) {
    const out: RecordBatch[] = [];
    for await (const b of readBatches(path, opts)) out.push(b);
    return out;
  }
  /** Every batch's shape and typed storage, for exact comparison. */
  function dump(batches: RecordBatch[]) {
    return batches.map((b) => ({
      numRows: b.numRows,
      schema: b.schema,
      columns: b.columns.map((c) =>
        c.kind === 'string'
          ? { codes: [...c.codes], dictionary: [...c.dictionary] }
          : c.kind === 'value'
            ? { values: c.values }
            : {
                values: Array.from(c.values as ArrayLike<unknown>),
                valid: c.valid && [...c.valid],
              },
      ),
    }));
  }

  let small: string;
  beforeAll(async () => {
    // 20,000 rows in row groups of 3,000: nulls, long and short strings, every fast type.
    small = join(dir, 'groups.parquet');
    const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
    const conn = await inst.connect();
    await conn.run(
      `COPY (SELECT i::BIGINT AS id,
          CASE WHEN i % 7 = 0 THEN NULL ELSE i * 0.5 END AS x,
          CASE WHEN i % 11 = 0 THEN NULL WHEN i % 3 = 0 THEN 'long string number ' || (i % 13)
               ELSE 's' || (i % 17) END AS name,
          CASE WHEN i % 5 = 0 THEN NULL ELSE i % 2 = 0 END AS ok,
          TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS at,
          DATE '2020-01-01' + (i % 400)::INTEGER AS day,
          (i % 100)::INTEGER AS small
        FROM range(20000) t(i)) TO '${small}' (FORMAT parquet, ROW_GROUP_SIZE 3000)`,
    );
    const rg = await conn.runAndReadAll(
      `SELECT count(DISTINCT row_group_id)::INTEGER AS n FROM parquet_metadata('${small}')`,
    );
    expect(Number(rg.getRowObjectsJS()[0]?.['n'])).toBeGreaterThan(3);
    conn.closeSync();
    inst.closeSync();
  });

  it('returns exactly the sequential batches on a multi-row-group file', async () => {
    for (const batchRows of [700, 3000, 4096]) {
      const seq = await collect(small, { batchRows, parallel: false });
      const par = await collect(small, { batchRows, parallel: 2 });
      expect(par.map((b) => b.numRows)).toEqual(seq.map((b) => b.numRows));
      expect(dump(par)).toEqual(dump(seq));
    }
    const opts = { batchRows: 1000, maxRows: 12_345, columns: ['name', 'id', 'at'] };
    expect(dump(await collect(small, { ...opts, parallel: 3 }))).toEqual(
      dump(await collect(small, { ...opts, parallel: false })),
    );
    const big = { batchRows: 2000, int64: 'bigint' as const };
    expect(dump(await collect(small, { ...big, parallel: true }))).toEqual(
      dump(await collect(small, { ...big, parallel: false })),
    );
  });

  it('returns exactly the sequential batches on a flights-3m slice', async () => {
    const opts = { maxRows: 600_000, batchRows: 50_000 };
    const seq = await collect(FLIGHTS, { ...opts, parallel: false });
    const par = await collect(FLIGHTS, { ...opts, parallel: 2 });
    expect(par.map((b) => b.numRows)).toEqual(seq.map((b) => b.numRows));
    expect(dump(par)).toEqual(dump(seq));
  });

  it('unordered: the same rows, every batch full but the last', async () => {
    const seq = await readTable(small, { parallel: false });
    const batches = await collect(small, { batchRows: 1000, parallel: 2, ordered: false });
    expect(batches.filter((b) => b.numRows !== 1000)).toHaveLength(0);
    const rows = batches.flatMap((b) => [...b.rows()]);
    rows.sort((a, b) => (a['id'] as number) - (b['id'] as number));
    expect(rows).toEqual([...seq.rows()]);
  });

  it('stops cleanly when the consumer breaks, and reads again afterwards', async () => {
    let n = 0;
    for await (const b of readBatches(FLIGHTS, { batchRows: 10_000, parallel: 2 })) {
      n += b.numRows;
      if (n >= 30_000) break;
    }
    expect(n).toBe(30_000);
    const again = await collect(small, { batchRows: 5000, parallel: 2 });
    expect(again.reduce((s, b) => s + b.numRows, 0)).toBe(20_000);
  });

  it('raises the sequential error for an int64 beyond 2^53 in a later row group', async () => {
    const p = join(dir, 'bigint-late.parquet');
    const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
    const conn = await inst.connect();
    await conn.run(
      `COPY (SELECT CASE WHEN i = 15000 THEN 9007199254740993 ELSE i END::BIGINT AS id
        FROM range(20000) t(i)) TO '${p}' (FORMAT parquet, ROW_GROUP_SIZE 3000)`,
    );
    conn.closeSync();
    inst.closeSync();
    const seq = await caught(readTable(p, { batchRows: 1000, parallel: false }));
    const par = await caught(readTable(p, { batchRows: 1000, parallel: 2 }));
    expect(seq.code).toBe('DATA_INVALID');
    expect(seq.message).toContain('column "id", row 15001');
    expect(par.code).toBe(seq.code);
    expect(par.message).toBe(seq.message);
    // Batches before the bad one are still handed out, in order.
    const got: number[] = [];
    const e = await caught(
      (async () => {
        for await (const b of readBatches(p, { batchRows: 1000, parallel: 2 })) {
          got.push(b.numRows);
        }
      })(),
    );
    expect(e.code).toBe('DATA_INVALID');
    expect(got).toHaveLength(15);
  });
});
