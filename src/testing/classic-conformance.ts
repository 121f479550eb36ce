/**
 * Conformance suite for classic-model kinds (`ClassicModelKind` in src/training/classic), run
 * against every kind in {@link CLASSIC_MODELS}. A plugin kind passes it with its own small
 * dataset. Call from a `*.test.ts` file:
 *
 * @example
 * classicModelConformance(CLASSIC_MODELS.mf!, { data: ratings, wrongData: features, config: { epochs: 3 } });
 */
import { describe, expect, it } from 'vitest';
import { isMortarError } from '../core/errors.js';
import type { ClassicDataset, ClassicModelKind } from '../training/classic/index.js';

/** What the suite needs for one kind. */
export interface ClassicConformanceCase {
  /** A small labelled training set of the kind's input type. */
  readonly data: ClassicDataset;
  /** A dataset of a different kind (fit must refuse it). */
  readonly wrongData: ClassicDataset;
  /** A small, fast config (at least 3 epochs). */
  readonly config: Record<string, unknown>;
}

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    expect(isMortarError(e) ? e.code : e).toBe(code);
    return;
  }
  throw new Error(`expected a ${code} MortarError`);
}

async function expectCodeAsync(p: Promise<unknown>, code: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isMortarError(e) ? e.code : e).toBe(code);
}

/** Registers the conformance tests for one classic-model kind. */
export function classicModelConformance(spec: ClassicModelKind, c: ClassicConformanceCase): void {
  describe(`classic model conformance: ${spec.kind}`, () => {
    it('parses its config with defaults and refuses unknown or bad keys', () => {
      const full = spec.parseConfig(c.config);
      expect(spec.parseConfig(full)).toEqual(full);
      expectCode(() => spec.parseConfig({ ...c.config, noSuchOption: 1 }), 'INVALID_CONFIG');
      expectCode(() => spec.parseConfig({ epochs: -1 }), 'INVALID_CONFIG');
    });

    it('is deterministic for a seed and round-trips through JSON text', async () => {
      const a = await spec.fit(c.data, { ...c.config, seed: 7 });
      const b = await spec.fit(c.data, { ...c.config, seed: 7 });
      const ja = JSON.stringify(a.toJSON());
      expect(JSON.stringify(b.toJSON())).toBe(ja);
      const restored = spec.fromJSON(JSON.parse(ja));
      expect(restored.kind).toBe(spec.kind);
      expect(Array.from(restored.predict(c.data))).toEqual(Array.from(a.predict(c.data)));
      expect(restored.evaluate(c.data)).toEqual(a.evaluate(c.data));
      expect(typeof a.evaluate(c.data)[spec.primaryMetric]).toBe('number');
    });

    it('reports epochs, stops when onEpoch returns false, and cancels on abort', async () => {
      const seen: number[] = [];
      await spec.fit(c.data, c.config, {
        onEpoch: (e) => {
          seen.push(e.epoch);
          return e.epoch < 2;
        },
      });
      expect(seen).toEqual([1, 2]);
      const ctl = new AbortController();
      ctl.abort();
      await expectCodeAsync(spec.fit(c.data, c.config, { signal: ctl.signal }), 'CANCELLED');
    });

    it('refuses the wrong dataset kind for fit and predict', async () => {
      await expectCodeAsync(spec.fit(c.wrongData, c.config), 'INVALID_ARGUMENT');
      const m = await spec.fit(c.data, c.config);
      expectCode(() => m.predict(c.wrongData), 'INVALID_ARGUMENT');
    });

    it('refuses corrupt model documents with DATA_INVALID', async () => {
      const m = await spec.fit(c.data, c.config);
      const j = JSON.parse(JSON.stringify(m.toJSON())) as Record<string, unknown>;
      expectCode(() => spec.fromJSON(null), 'DATA_INVALID');
      expectCode(() => spec.fromJSON({ ...j, kind: 'something-else' }), 'DATA_INVALID');
      expectCode(() => spec.fromJSON({ ...j, version: 99 }), 'DATA_INVALID');
      expectCode(() => spec.fromJSON({ ...j, state: null }), 'DATA_INVALID');
      // truncate every encoded array in the state: a half-written checkpoint
      const state = j.state as Record<string, unknown>;
      const broken: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(state)) {
        broken[k] =
          v && typeof v === 'object' && 'b64' in v
            ? { ...v, b64: String((v as { b64: string }).b64).slice(0, 8) }
            : v;
      }
      expectCode(() => spec.fromJSON({ ...j, state: broken }), 'DATA_INVALID');
    });
  });
}
