import { describe, expect, expectTypeOf, it } from 'vitest';
import { isMortarError } from '../core/errors.js';
import { defineSpace, parseSpace, parseSpaceText, sampleSpace, type InferParams } from './space.js';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isMortarError(e, 'INVALID_ARGUMENT')) return e.message;
    throw e;
  }
  throw new Error('expected INVALID_ARGUMENT');
}

const space = defineSpace([
  { name: 'opt', type: 'categorical', choices: ['adam', 'sgd'] },
  { name: 'lr', type: 'float', low: 1e-5, high: 1e-1, log: true },
  {
    name: 'momentum',
    type: 'float',
    low: 0,
    high: 0.9,
    step: 0.1,
    condition: { param: 'opt', in: ['sgd'] },
  },
  { name: 'layers', type: 'int', low: 1, high: 4 },
] as const);

describe('declarative space', () => {
  it('infers the params type', () => {
    type P = InferParams<typeof space.specs>;
    expectTypeOf<P>().toEqualTypeOf<{
      opt: 'adam' | 'sgd';
      lr: number;
      layers: number;
      momentum?: number;
    }>();
    expect(Object.keys(space.distributions)).toEqual(['opt', 'lr', 'momentum', 'layers']);
  });
  it('samples only active parameters, parents first', () => {
    const seen: string[] = [];
    const p = sampleSpace(space, (name, d) => {
      seen.push(name);
      if (d.type === 'categorical') return 'adam';
      return d.low;
    });
    expect(p).toEqual({ opt: 'adam', lr: 1e-5, layers: 1 });
    const q = sampleSpace(space, (name, d) => (d.type === 'categorical' ? 'sgd' : d.low));
    expect(q.momentum).toBe(0);
  });
  it('orders children after parents even when declared first', () => {
    const s = defineSpace([
      { name: 'b', type: 'float', low: 0, high: 1, condition: { param: 'a', in: [true] } },
      { name: 'a', type: 'categorical', choices: [true, false] },
    ]);
    expect(s.ordered.map((x) => x.name)).toEqual(['a', 'b']);
  });
  it('rejects an unknown condition parameter', () => {
    expect(
      message(() =>
        defineSpace([
          { name: 'x', type: 'float', low: 0, high: 1, condition: { param: 'nope', in: [1] } },
        ]),
      ),
    ).toContain('unknown parameter "nope"');
  });
  it('rejects a condition value the parent cannot take', () => {
    expect(
      message(() =>
        defineSpace([
          { name: 'a', type: 'categorical', choices: ['x', 'y'] },
          { name: 'b', type: 'int', low: 0, high: 3, condition: { param: 'a', in: ['z'] } },
        ]),
      ),
    ).toContain('"z" is not a value "a" can take');
  });
  it('rejects cycles', () => {
    expect(
      message(() =>
        defineSpace([
          { name: 'a', type: 'categorical', choices: [1, 2], condition: { param: 'b', in: [1] } },
          { name: 'b', type: 'categorical', choices: [1, 2], condition: { param: 'a', in: [1] } },
        ]),
      ),
    ).toMatch(/cycle: (a -> b -> a|b -> a -> b)/);
  });
  it('rejects duplicates, bad ranges and malformed specs', () => {
    expect(
      message(() =>
        defineSpace([
          { name: 'a', type: 'int', low: 0, high: 1 },
          { name: 'a', type: 'int', low: 0, high: 1 },
        ]),
      ),
    ).toContain('twice');
    expect(
      message(() => defineSpace([{ name: 'lr', type: 'float', low: 0, high: 1, log: true }])),
    ).toContain('"lr"');
    expect(message(() => defineSpace([{ name: 'c', type: 'categorical', choices: [] }]))).toContain(
      '"c"',
    );
    expect(message(() => parseSpace([{ name: 'x', type: 'float', low: 'a', high: 1 }]))).toContain(
      '0.low',
    );
    expect(message(() => parseSpace({ nope: 1 }))).toContain('list of parameter specs');
  });
  it('parses JSON input in both shapes', () => {
    const json = JSON.parse(
      '{"params":[{"name":"k","type":"int","low":1,"high":9,"step":2}]}',
    ) as unknown;
    expect(parseSpace(json).distributions['k']).toEqual({
      type: 'int',
      low: 1,
      high: 9,
      log: false,
      step: 2,
    });
  });
  it('parses YAML text, with conditions, and reports syntax errors', () => {
    const s = parseSpaceText(`
params:
  - { name: opt, type: categorical, choices: [adam, sgd] }
  - name: momentum
    type: float
    low: 0
    high: 0.9
    condition: { param: opt, in: [sgd] }
`);
    expect(s.ordered.map((p) => p.name)).toEqual(['opt', 'momentum']);
    expect(message(() => parseSpaceText('[{ name: x'))).toContain('not valid JSON or YAML');
  });
});
