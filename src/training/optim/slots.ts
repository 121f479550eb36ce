import { MortarError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor/index.js';
import type { Param } from '../nn/param.js';
import type { OptimizerState } from './optimizer.js';

/** Per-param optimizer state tensors (`count` per param, zero-initialised), matched by position. */
export class Slots {
  private slots: Tensor[][] = [];
  constructor(private readonly count: number) {}

  /** The slots of params[i], allocating on first use; checks the shape still matches. */
  of(params: readonly Param[], i: number): Tensor[] {
    const p = params[i] as Param;
    let s = this.slots[i];
    if (!s) {
      s = Array.from({ length: this.count }, () => p.value.engine.zeros(p.value.shape));
      this.slots[i] = s;
    } else if ((s[0] as Tensor).size !== p.value.size) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `optimizer: param ${i} (${p.name}) has ${p.value.size} values but its state has ${(s[0] as Tensor).size}; pass params in the same order every step`,
      );
    }
    return s;
  }

  /** Copies for a checkpoint. */
  export(step: number): OptimizerState {
    return { step, slots: this.slots.map((s) => s.map((t) => t.toArray())) };
  }

  /** Restores from a checkpoint (shapes checked against params). */
  import(state: OptimizerState, params: readonly Param[]): void {
    this.dispose();
    state.slots.forEach((arrays, i) => {
      const p = params[i];
      if (!p || arrays.length !== this.count || arrays.some((a) => a.length !== p.value.size)) {
        throw new MortarError(
          'DATA_INVALID',
          `optimizer state: slot ${i} does not match the network's param ${i}${p ? ` (${p.name}, ${p.value.size} values)` : ''}`,
        );
      }
      this.slots[i] = arrays.map((a) => p.value.engine.fromArray(a, p.value.shape));
    });
  }

  dispose(): void {
    for (const s of this.slots) for (const t of s) t.dispose();
    this.slots = [];
  }
}
