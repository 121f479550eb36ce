// The quickstart's train step on the real flights sample: a model recorded in the store, test
// metrics better than the base rate, and an ONNX file verified in onnxruntime-node.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { memoryOutput } from '../src/cli/output.js';

describe('quickstart train step', () => {
  it('trains, records and exports an MLP on the flights split', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mortar-qs-train-'));
    const out = memoryOutput();
    const code = await main(
      [
        'node',
        'mortar',
        '--store',
        `sqlite:${join(cwd, 'm.db')}`,
        'quickstart',
        '--json',
        '--steps',
        'data,train',
      ],
      { out, cwd, env: {} },
    );
    expect(code, out.stderr.join('\n')).toBe(0);
    const summary = JSON.parse(out.stdout.join('\n')) as {
      steps: {
        id: string;
        model?: string;
        onnx?: string;
        metrics?: Record<string, number>;
        onnxMaxAbsDiff?: number;
      }[];
    };
    const step = summary.steps.find((s) => s.id === 'train');
    expect(step?.model).toMatch(/^[0-9a-z]{26}$/);
    expect(existsSync(step?.onnx ?? '')).toBe(true);
    expect(step?.metrics?.['auc']).toBeGreaterThan(0.55);
    expect(step?.onnxMaxAbsDiff).toBeLessThan(1e-4);
    const ev = memoryOutput();
    const test = join(cwd, '.mortar', 'quickstart', 'test.parquet');
    expect(
      await main(
        [
          'node',
          'mortar',
          '--store',
          `sqlite:${join(cwd, 'm.db')}`,
          'evaluate',
          step?.model ?? '',
          '--data',
          test,
          '--nan',
          'drop',
          '--json',
        ],
        { out: ev, cwd, env: {} },
      ),
    ).toBe(0);
    expect(
      (JSON.parse(ev.stdout.join('\n')) as { metrics: Record<string, number> }).metrics['auc'],
    ).toBeCloseTo(step?.metrics?.['auc'] ?? 0, 10);
  });
});
