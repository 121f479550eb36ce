/**
 * Declarative search spaces: a list of parameter specs (from TypeScript, JSON or YAML), parsed
 * with zod, whose TypeScript type infers the params object.
 *
 * @example
 * const space = defineSpace([
 *   { name: 'opt', type: 'categorical', choices: ['adam', 'sgd'] },
 *   { name: 'lr', type: 'float', low: 1e-5, high: 1e-1, log: true },
 *   { name: 'momentum', type: 'float', low: 0, high: 0.99, condition: { param: 'opt', in: ['sgd'] } },
 * ] as const);
 * type P = InferParams<typeof space.specs>; // { opt: 'adam' | 'sgd'; lr: number; momentum?: number }
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { MortarError } from '../core/errors.js';
import {
  categoricalDistribution,
  contains,
  floatDistribution,
  intDistribution,
  type CategoricalChoice,
  type Distribution,
  type ParamValue,
} from './distributions.js';

const choiceSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const conditionSchema = z.strictObject({
  param: z.string().min(1),
  in: z.array(choiceSchema).min(1),
});
const base = { name: z.string().min(1), condition: conditionSchema.optional() };

/** The zod schema of one parameter spec. */
export const paramSpecSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...base,
    type: z.literal('float'),
    low: z.number(),
    high: z.number(),
    log: z.boolean().optional(),
    step: z.number().optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('int'),
    low: z.number().int(),
    high: z.number().int(),
    log: z.boolean().optional(),
    step: z.number().int().optional(),
  }),
  z.strictObject({ ...base, type: z.literal('categorical'), choices: z.array(choiceSchema) }),
]);

/** The zod schema of a space: a list of specs. */
export const spaceSchema = z.array(paramSpecSchema);

/** A condition: the parameter is active only when `param` is active and its value is in `in`. */
export interface Condition {
  readonly param: string;
  readonly in: readonly CategoricalChoice[];
}

/** One parameter of a declarative space. */
export type ParamSpec =
  | {
      readonly name: string;
      readonly type: 'float' | 'int';
      readonly low: number;
      readonly high: number;
      readonly log?: boolean;
      readonly step?: number;
      readonly condition?: Condition;
    }
  | {
      readonly name: string;
      readonly type: 'categorical';
      readonly choices: readonly CategoricalChoice[];
      readonly condition?: Condition;
    };

type SpecValue<P> = P extends {
  readonly type: 'categorical';
  readonly choices: readonly (infer C)[];
}
  ? C
  : number;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The params object of a space: conditional parameters are optional. */
export type InferParams<S extends readonly ParamSpec[]> = Simplify<
  {
    [
      P in S[number] as P extends { readonly condition: Condition } ? never : P['name']
    ]: SpecValue<P>;
  } & {
    [
      P in S[number] as P extends { readonly condition: Condition } ? P['name'] : never
    ]?: SpecValue<P>;
  }
>;

/** A validated space: specs in dependency order (parents before children) with distributions. */
export interface SearchSpace<S extends readonly ParamSpec[] = readonly ParamSpec[]> {
  /** The specs as given (keeps the literal types for {@link InferParams}). */
  readonly specs: S;
  /** Specs sorted so each parameter comes after the parameter its condition names. */
  readonly ordered: readonly ParamSpec[];
  /** Distribution of each parameter. */
  readonly distributions: Readonly<Record<string, Distribution>>;
}

/** Builds the distribution of one spec, with errors naming the parameter. */
export function specDistribution(spec: ParamSpec): Distribution {
  if (spec.type === 'categorical') return categoricalDistribution(spec.name, spec.choices);
  const opts =
    spec.step === undefined
      ? { log: spec.log ?? false }
      : { log: spec.log ?? false, step: spec.step };
  return spec.type === 'float'
    ? floatDistribution(spec.name, spec.low, spec.high, opts)
    : intDistribution(spec.name, spec.low, spec.high, opts);
}

/**
 * Validates a space given in TypeScript (keep `as const` for the inferred params type).
 * Throws INVALID_ARGUMENT naming the parameter for: a bad range, an empty categorical, a duplicate
 * name, a condition on an unknown parameter or with values the parent cannot take, a cycle.
 */
export function defineSpace<const S extends readonly ParamSpec[]>(specs: S): SearchSpace<S> {
  const parsed = spaceSchema.safeParse(specs);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new MortarError(
      'INVALID_ARGUMENT',
      `invalid search space at ${where || '(root)'}: ${issue?.message ?? ''}`,
      {
        details: {
          issues: parsed.error.issues.map((i) => ({
            path: i.path.map(String),
            message: i.message,
          })),
        },
      },
    );
  }
  const distributions: Record<string, Distribution> = {};
  for (const spec of specs) {
    if (Object.hasOwn(distributions, spec.name)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `parameter "${spec.name}" is defined twice in the space`,
        {
          details: { param: spec.name },
        },
      );
    }
    distributions[spec.name] = specDistribution(spec);
  }
  for (const spec of specs) {
    const c = spec.condition;
    if (!c) continue;
    const parent = distributions[c.param];
    if (!parent) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `parameter "${spec.name}": its condition names unknown parameter "${c.param}"; known: ${Object.keys(distributions).join(', ')}`,
        { details: { param: spec.name, condition: c.param } },
      );
    }
    for (const v of c.in) {
      if (!contains(parent, v)) {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `parameter "${spec.name}": condition value ${JSON.stringify(v)} is not a value "${c.param}" can take`,
          { details: { param: spec.name, condition: c.param, value: v } },
        );
      }
    }
  }
  const ordered = topoSort(specs);
  return Object.freeze({ specs, ordered, distributions: Object.freeze(distributions) });
}

/**
 * Parses a space from untyped input (JSON or YAML already parsed). The params type is the
 * general `Record<string, ParamValue>`; use {@link defineSpace} in TypeScript for inference.
 */
export function parseSpace(input: unknown): SearchSpace {
  const list = Array.isArray(input)
    ? input
    : input !== null &&
        typeof input === 'object' &&
        Array.isArray((input as { params?: unknown }).params)
      ? (input as { params: unknown[] }).params
      : undefined;
  if (!list) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      'a search space is a list of parameter specs (or { params: [...] })',
    );
  }
  return defineSpace(list as readonly ParamSpec[]);
}

/**
 * Parses a space from JSON or YAML text (YAML is a superset of JSON).
 * @example parseSpaceText('- { name: lr, type: float, low: 1.0e-5, high: 0.1, log: true }')
 */
export function parseSpaceText(text: string): SearchSpace {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `search space is not valid JSON or YAML: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  return parseSpace(data);
}

function topoSort(specs: readonly ParamSpec[]): ParamSpec[] {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const out: ParamSpec[] = [];
  const visit = (spec: ParamSpec, path: string[]): void => {
    const st = state.get(spec.name);
    if (st === 'done') return;
    if (st === 'visiting') {
      const cycle = [...path.slice(path.indexOf(spec.name)), spec.name].join(' -> ');
      throw new MortarError(
        'INVALID_ARGUMENT',
        `conditions form a cycle: ${cycle}; a parameter cannot depend on itself`,
        {
          details: { cycle },
        },
      );
    }
    state.set(spec.name, 'visiting');
    const parent = spec.condition ? byName.get(spec.condition.param) : undefined;
    if (parent) visit(parent, [...path, spec.name]);
    state.set(spec.name, 'done');
    out.push(spec);
  };
  for (const s of specs) visit(s, []);
  return out;
}

/**
 * Walks a space in dependency order and calls `suggest` for each active parameter; returns the
 * params object. Inactive (conditioned-out) parameters are absent.
 */
export function sampleSpace<S extends readonly ParamSpec[]>(
  space: SearchSpace<S>,
  suggest: (name: string, distribution: Distribution) => ParamValue,
): InferParams<S> {
  const params: Record<string, ParamValue> = {};
  for (const spec of space.ordered) {
    if (!isActive(spec, params)) continue;
    params[spec.name] = suggest(spec.name, space.distributions[spec.name] as Distribution);
  }
  return params as InferParams<S>;
}

/** True if `spec`'s condition holds for the params chosen so far. */
export function isActive(spec: ParamSpec, params: Readonly<Record<string, ParamValue>>): boolean {
  const c = spec.condition;
  if (!c) return true;
  if (!Object.hasOwn(params, c.param)) return false;
  const v = params[c.param];
  return c.in.some((x) => Object.is(x, v) || x === v);
}
