import type { Rng } from '../../core/rng.js';
import type { Engine, Tensor } from '../../core/tensor/index.js';

/**
 * PyTorch's default initialisation for Linear and Conv2d (kaiming_uniform with a = sqrt(5)):
 * every element uniform in [-1/sqrt(fanIn), 1/sqrt(fanIn)), drawn from `rng` in element order.
 */
export function uniformFanIn(
  engine: Engine,
  shape: readonly number[],
  fanIn: number,
  rng: Rng,
): Tensor {
  const bound = 1 / Math.sqrt(Math.max(1, fanIn));
  const t = engine.empty(shape);
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = rng.uniform(-bound, bound);
  return t;
}

/** A tensor of `shape` filled with `v`. */
export function constant(engine: Engine, shape: readonly number[], v: number): Tensor {
  const t = engine.empty(shape);
  t.data.fill(v);
  return t;
}
