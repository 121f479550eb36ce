// `mortar train | evaluate | export` end to end, in-process, on real data (vega-datasets'
// penguins: 344 rows, 3 species, a few nulls) with a SQLite store in a temp directory.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { memoryOutput } from '../src/cli/output.js';
import { vegaDataset } from '../src/cli/quickstart/datasets.js';
import { openStore } from '../src/core/store/index.js';
import { MODEL_WEIGHTS_COLLECTION } from '../src/training/index.js';

const PENGUINS = vegaDataset('penguins.json');
let cwd: string;
let store: string;

async function run(args: string[]) {
  const out = memoryOutput();
  const code = await main(['node', 'mortar', '--store', store, ...args], { out, cwd, env: {} });
  return { code, stdout: out.stdout.join('\n'), stderr: out.stderr.join('\n') };
}

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'mortar-train-'));
  store = `sqlite:${join(cwd, 'm.db')}`;
});

describe('mortar train / evaluate / export', () => {
  let id = '';
  let metrics: Record<string, number> = {};

  it('train --test --json prints {"model": ID, "metrics": {...}} with test metrics', async () => {
    const r = await run([
      'train',
      '--model',
      'mlp',
      '--data',
      PENGUINS,
      '--label',
      'Species',
      '--test',
      PENGUINS,
      '--epochs',
      '25',
      '--seed',
      '1',
      '--nan',
      'drop',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as { model: string; metrics: Record<string, number> };
    id = body.model;
    metrics = body.metrics;
    expect(id).toMatch(/^[0-9a-z]{26}$/);
    expect(metrics['accuracy']).toBeGreaterThan(0.9);
    expect(metrics['droppedRows']).toBe(2);
    const runs = await run(['runs', 'show', id, '--json']);
    expect(runs.code).toBe(0);
    expect(runs.stdout).toContain('"completed"');
  });

  it('evaluate MODEL --data reproduces the test metrics from the stored model', async () => {
    const r = await run(['evaluate', id, '--data', PENGUINS, '--nan', 'drop', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as { metrics: Record<string, number> };
    expect(body.metrics['accuracy']).toBeCloseTo(metrics['accuracy']!, 10);
    expect(body.metrics['logLoss']).toBeCloseTo(metrics['logLoss']!, 6);
  });

  it('export MODEL --onnx writes a model that onnxruntime-node agrees with', async () => {
    const out = join(cwd, 'penguins.onnx');
    const r = await run(['export', id, '--onnx', out, '--data', PENGUINS, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as {
      verification: { ok: boolean; maxAbsDiff: number; samples: number };
    };
    expect(body.verification.ok).toBe(true);
    expect(body.verification.maxAbsDiff).toBeLessThan(1e-4);
    expect(body.verification.samples).toBe(256);
    expect(existsSync(out)).toBe(true);
  });

  it('the training config comes from --config (JSON) and is recorded', async () => {
    const cfg = join(cwd, 'cfg.json');
    writeFileSync(
      cfg,
      JSON.stringify({
        epochs: 3,
        nan: 'drop',
        optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.9 },
        model: { hidden: [8] },
      }),
    );
    const r = await run([
      'train',
      '--model',
      'mlp',
      '--data',
      PENGUINS,
      '--label',
      'Island',
      '--config',
      cfg,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const { model } = JSON.parse(r.stdout) as { model: string };
    const s = await openStore(store, { cwd });
    const doc = (await s.getDoc('models', model))!.value as {
      training: { epochs: number; optimizer: { kind: string } };
    };
    await s.close();
    expect(doc.training.epochs).toBe(3);
    expect(doc.training.optimizer.kind).toBe('sgd');
  });

  it('logreg with a thresholded label, and a classic model (lasso) through the same command', async () => {
    const lr = await run([
      'train',
      '--model',
      'logreg',
      '--data',
      PENGUINS,
      '--label',
      'Body Mass (g)>4000',
      '--nan',
      'drop',
      '--epochs',
      '30',
      '--test',
      PENGUINS,
      '--json',
    ]);
    expect(lr.code, lr.stderr).toBe(0);
    expect(
      (JSON.parse(lr.stdout) as { metrics: Record<string, number> }).metrics['auc'],
    ).toBeGreaterThan(0.85);
    const la = await run([
      'train',
      '--model',
      'lasso',
      '--data',
      PENGUINS,
      '--label',
      'Body Mass (g)',
      '--nan',
      'drop',
      '--test',
      PENGUINS,
      '--json',
    ]);
    expect(la.code, la.stderr).toBe(0);
    const { model, metrics: m } = JSON.parse(la.stdout) as {
      model: string;
      metrics: Record<string, number>;
    };
    expect(m['rmse']).toBeLessThan(500);
    const ex = await run(['export', model, '--onnx', join(cwd, 'x.onnx')]);
    expect(ex.code).not.toBe(0);
    expect(ex.stderr).toMatch(/classic\) model; ONNX export covers network models/);
  });
});

describe('bad input', () => {
  it('NaN in features is an error naming file, row and column unless --nan drop', async () => {
    const r = await run([
      'train',
      '--model',
      'mlp',
      '--data',
      PENGUINS,
      '--label',
      'Species',
      '--epochs',
      '1',
    ]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(
      /penguins\.json, row 4: feature "Beak Length \(mm\)" is NaN or null; .*--nan drop/,
    );
  });

  it('a label column that does not exist lists the columns', async () => {
    const r = await run([
      'train',
      '--model',
      'mlp',
      '--data',
      PENGUINS,
      '--label',
      'species',
      '--epochs',
      '1',
    ]);
    expect(r.code).toBe(66);
    expect(r.stderr).toMatch(/label column "species" does not exist; columns are: Species, Island/);
  });

  it('evaluating on data without a feature column names it; an unknown model is NOT_FOUND', async () => {
    const trained = await run([
      'train',
      '--model',
      'mlp',
      '--data',
      PENGUINS,
      '--label',
      'Species',
      '--epochs',
      '1',
      '--nan',
      'drop',
      '--json',
    ]);
    const { model } = JSON.parse(trained.stdout) as { model: string };
    const partial = join(cwd, 'partial.json');
    const rows = (JSON.parse(readFileSync(PENGUINS, 'utf8')) as Record<string, unknown>[])
      .slice(0, 20)
      .map(({ Island: _drop, ...rest }) => rest);
    writeFileSync(partial, JSON.stringify(rows));
    const r = await run(['evaluate', model, '--data', partial, '--nan', 'drop']);
    expect(r.code).toBe(66);
    expect(r.stderr).toMatch(/feature column "Island" is missing/);
    expect((await run(['evaluate', 'nope', '--data', PENGUINS])).code).toBe(66);
  });

  it('corrupt stored weights are DATA_INVALID naming the model', async () => {
    const trained = await run([
      'train',
      '--model',
      'linear',
      '--data',
      PENGUINS,
      '--label',
      'Body Mass (g)',
      '--epochs',
      '1',
      '--nan',
      'drop',
      '--json',
    ]);
    const { model } = JSON.parse(trained.stdout) as { model: string };
    const s = await openStore(store, { cwd });
    const doc = (await s.getDoc(MODEL_WEIGHTS_COLLECTION, model))!.value as {
      weights: { data: string }[];
    };
    doc.weights[0]!.data = 'AAAA' + doc.weights[0]!.data.slice(4);
    await s.putDoc(MODEL_WEIGHTS_COLLECTION, model, doc as never);
    await s.close();
    const r = await run(['evaluate', model, '--data', PENGUINS, '--nan', 'drop']);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`weights of model ${model}`);
    expect(r.stderr).toMatch(/corrupt: checksum mismatch/);
  });

  it('an unknown model kind, a bad --nan and a bad config are usage/config errors', async () => {
    expect(
      (await run(['train', '--model', 'svm', '--data', PENGUINS, '--label', 'Species'])).stderr,
    ).toMatch(/--model svm: unknown model; use one of mlp, cnn/);
    expect(
      (
        await run([
          'train',
          '--model',
          'mlp',
          '--data',
          PENGUINS,
          '--label',
          'Species',
          '--nan',
          'skip',
        ])
      ).stderr,
    ).toMatch(/--nan must be "error" or "drop"/);
    const cfg = join(cwd, 'bad.json');
    writeFileSync(cfg, JSON.stringify({ epochs: 0 }));
    const r = await run([
      'train',
      '--model',
      'mlp',
      '--data',
      PENGUINS,
      '--label',
      'Species',
      '--config',
      cfg,
    ]);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/training config at "epochs"/);
  });
});
