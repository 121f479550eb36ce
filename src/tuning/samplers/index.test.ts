import { describe, expect, it } from 'vitest';
import { isMortarError } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import { samplerRegistry } from './index.js';

describe('sampler registry', () => {
  it('lists every shipped sampler', () => {
    expect(samplerRegistry.kinds()).toEqual([
      'auto',
      'cmaes',
      'gp',
      'grid',
      'nsga2',
      'portfolio',
      'random',
      'sobol',
      'tpe',
    ]);
  });

  it('rebuilds each sampler from its own config', () => {
    for (const kind of samplerRegistry.kinds()) {
      const cfg: JsonValue =
        kind === 'grid' ? { seed: 1, searchSpace: { a: [1, 2] } } : { seed: 1 };
      const s = samplerRegistry.create(kind, cfg);
      expect(s.kind).toBe(kind);
      const again = samplerRegistry.create(kind, JSON.parse(JSON.stringify(s.toConfig())) as never);
      expect(again.toConfig()).toEqual(s.toConfig());
    }
  });

  it('rejects unknown kinds and bad configs with clear errors', () => {
    expect(() => samplerRegistry.create('nope')).toThrow(
      /unknown sampler kind "nope"; known kinds: auto, cmaes/,
    );
    try {
      samplerRegistry.create('tpe', { nStartupTrials: -1 });
      expect.unreachable();
    } catch (e) {
      expect(isMortarError(e, 'INVALID_CONFIG')).toBe(true);
      expect(String(e)).toContain('sampler "tpe": nStartupTrials');
    }
  });
});
