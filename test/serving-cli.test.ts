// `mortar predict` in-process: one KServe request from a file, and offline prediction of a
// Parquet table through the serving engine; bad input exits non-zero with a named problem.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { memoryOutput } from '../src/cli/output.js';
import { NumberColumn, RecordBatch, readTable, writeTable } from '../src/core/data/index.js';

const FIX = join(import.meta.dirname, 'fixtures/serving');
const answers = JSON.parse(readFileSync(join(FIX, 'answers.json'), 'utf8')) as {
  mlp: { input: number[]; v1: number[]; v2: number[] };
};
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mortar-predict-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]) {
  const out = memoryOutput();
  const code = await main(['node', 'mortar', ...args], { out, env: {}, cwd: dir });
  return { code, out };
}

describe('mortar predict', () => {
  it('--input answers a KServe request with the known logits (latest version of a model folder)', async () => {
    const req = join(dir, 'in.json');
    writeFileSync(
      req,
      JSON.stringify({
        inputs: [{ name: 'input', shape: [1, 32], datatype: 'FP32', data: answers.mlp.input }],
      }),
    );
    const { code, out } = await run(
      'predict',
      join(FIX, 'repo/mlp'),
      '--input',
      req,
      '--workers',
      '1',
    );
    expect(code).toBe(0);
    const body = JSON.parse(out.stdout.join('\n')) as { outputs: { data: number[] }[] };
    body.outputs[0]!.data.forEach((v, i) => expect(v).toBeCloseTo(answers.mlp.v2[i]!, 5));
  });

  it('--batch streams a table through the engine and writes one prediction row per input row', async () => {
    const n = 1000;
    const fields = Array.from({ length: 32 }, (_, j) => ({
      name: `f${j}`,
      type: 'float64' as const,
      nullable: false,
    }));
    const cols = fields.map(
      (_, j) =>
        new NumberColumn(
          'float64',
          Float64Array.from({ length: n }, (_, r) =>
            r === 0 ? answers.mlp.input[j]! : ((r * 31 + j) % 17) / 17,
          ),
        ),
    );
    const inPath = join(dir, 'x.parquet');
    const outPath = join(dir, 'y.parquet');
    await writeTable(inPath, [new RecordBatch(fields, n, cols)]);
    const { code, out } = await run(
      'predict',
      join(FIX, 'repo/mlp/1'),
      '--batch',
      inPath,
      '--out',
      outPath,
      '--json',
    );
    expect(code).toBe(0);
    expect(JSON.parse(out.stdout[0]!)).toMatchObject({
      rows: n,
      outputs: ['logits_0', 'logits_1'],
    });
    const y = await readTable(outPath);
    expect(y.numRows).toBe(n);
    const c0 = y.column('logits_0');
    if (c0.kind !== 'number') throw new Error('numeric column expected');
    expect(c0.values[0]).toBeCloseTo(answers.mlp.v1[0]!, 5);
  });

  it('bad input exits non-zero naming the problem', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        inputs: [
          { name: 'input', shape: [1, 31], datatype: 'FP32', data: answers.mlp.input.slice(1) },
        ],
      }),
    );
    const r = await run('predict', join(FIX, 'repo/mlp'), '--input', bad);
    expect(r.code).not.toBe(0);
    expect(r.out.stderr.join('\n')).toMatch(/shape \[-1, 32\]/);
    const missing = await run('predict', join(dir, 'nope.onnx'), '--input', bad);
    expect(missing.code).not.toBe(0);
    expect(missing.out.stderr.join('\n')).toMatch(/does not exist/);
  });
});
