import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { KindRegistry } from './registry.js';

describe('KindRegistry', () => {
  it('creates registered kinds from config and lists known kinds on a miss', () => {
    const r = new KindRegistry<{ n: number }>('widget');
    r.register('b', () => ({ n: 2 })).register('a', (cfg) => ({ n: (cfg as { n: number }).n }));
    expect(r.kinds()).toEqual(['a', 'b']);
    expect(r.create('a', { n: 5 }).n).toBe(5);
    expect(() => r.create('c')).toThrow(/unknown widget kind "c"; known kinds: a, b/);
    expect(() => r.register('a', () => ({ n: 0 }))).toThrow(/already registered/);
  });
});

describe('ManualClock', () => {
  it('moves only when told and never backwards', () => {
    const c = new ManualClock(10);
    expect(c.now()).toBe(10);
    c.advance(5);
    expect(c.monotonic()).toBe(15);
    expect(() => c.advance(-1)).toThrow();
    expect(() => c.set(3)).toThrow(/backwards/);
  });
});
