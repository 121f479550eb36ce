/**
 * The sampler registry: every shipped sampler by `kind`, rebuilt from its JSON config.
 *
 * @example
 * const s = samplerRegistry.create('tpe', { seed: 1, multivariate: true });
 * samplerRegistry.create(s.kind, s.toConfig()); // the same sampler again
 */
import { z } from 'zod';
import { MortarError } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import { KindRegistry } from '../../core/registry.js';
import type { ParamValue } from '../distributions.js';
import { AutoSampler } from './auto.js';
import { CmaEsSampler } from './cmaes.js';
import { GpSampler } from './gp.js';
import { GridSampler } from './grid.js';
import { Nsga2Sampler } from './nsga2.js';
import { PortfolioSampler } from './portfolio.js';
import { RandomSampler } from './random.js';
import type { Sampler } from './sampler.js';
import { SobolSampler } from './sobol.js';
import { TpeSampler } from './tpe.js';

function parse<T>(kind: string, schema: z.ZodType<T>, config: JsonValue): T {
  const r = schema.safeParse(config ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new MortarError(
      'INVALID_CONFIG',
      `sampler "${kind}": ${issue?.path.join('.') || 'config'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return r.data;
}

const seed = z.number().optional();
const choice = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Zod schemas of each sampler's config. */
export const samplerConfigSchemas = {
  random: z.strictObject({ seed }),
  grid: z.strictObject({ seed, searchSpace: z.record(z.string(), z.array(choice).min(1)) }),
  sobol: z.strictObject({ seed, scramble: z.boolean().optional() }),
  tpe: z.strictObject({
    seed,
    nStartupTrials: z.number().int().min(0).optional(),
    nEiCandidates: z.number().int().min(1).optional(),
    priorWeight: z.number().positive().optional(),
    considerMagicClip: z.boolean().optional(),
    considerEndpoints: z.boolean().optional(),
    multivariate: z.boolean().optional(),
    group: z.boolean().optional(),
    constantLiar: z.boolean().optional(),
  }),
  cmaes: z.strictObject({
    seed,
    sigma0: z.number().positive().optional(),
    popsize: z.number().int().min(2).optional(),
    restart: z.boolean().optional(),
    margin: z.number().positive().max(1).optional(),
    warmStart: z.boolean().optional(),
    warmSigma: z.number().positive().optional(),
  }),
  gp: z.strictObject({
    seed,
    nStartupTrials: z.number().int().min(0).optional(),
    maxTrials: z.number().int().min(1).optional(),
    nCandidates: z.number().int().min(1).optional(),
    constantLiar: z.boolean().optional(),
    maxPoints: z.number().int().min(2).optional(),
    trustRegionFromDims: z.number().int().min(1).optional(),
  }),
  nsga2: z.strictObject({
    seed,
    populationSize: z.number().int().min(2).optional(),
    crossoverProb: z.number().min(0).max(1).optional(),
    swappingProb: z.number().min(0).max(1).optional(),
    mutationProb: z.number().min(0).max(1).optional(),
  }),
  auto: z.strictObject({
    seed,
    gpUntil: z.number().int().min(0).optional(),
    nsga2After: z.number().int().min(0).optional(),
  }),
  portfolio: z.strictObject({
    seed,
    budget: z.number().int().min(1).optional(),
    nStartup: z.number().int().min(0).optional(),
    gpUntil: z.number().int().min(0).optional(),
    gpMaxPoints: z.number().int().min(2).optional(),
    nsga2After: z.number().int().min(0).optional(),
  }),
} as const;

/** Every shipped sampler kind. */
export const samplerRegistry = new KindRegistry<Sampler>('sampler')
  .register('random', (c) => new RandomSampler(parse('random', samplerConfigSchemas.random, c)))
  .register('grid', (c) => {
    const cfg = parse('grid', samplerConfigSchemas.grid, c);
    return new GridSampler({
      ...cfg,
      searchSpace: cfg.searchSpace as Record<string, ParamValue[]>,
    });
  })
  .register('sobol', (c) => new SobolSampler(parse('sobol', samplerConfigSchemas.sobol, c)))
  .register('tpe', (c) => new TpeSampler(parse('tpe', samplerConfigSchemas.tpe, c)))
  .register('cmaes', (c) => new CmaEsSampler(parse('cmaes', samplerConfigSchemas.cmaes, c)))
  .register('gp', (c) => new GpSampler(parse('gp', samplerConfigSchemas.gp, c)))
  .register('nsga2', (c) => new Nsga2Sampler(parse('nsga2', samplerConfigSchemas.nsga2, c)))
  .register('auto', (c) => new AutoSampler(parse('auto', samplerConfigSchemas.auto, c)))
  .register(
    'portfolio',
    (c) => new PortfolioSampler(parse('portfolio', samplerConfigSchemas.portfolio, c)),
  );

export type { RelativeSpace, Sampler } from './sampler.js';
export { RandomSampler, type RandomSamplerOptions } from './random.js';
export { GridSampler, type GridSamplerOptions } from './grid.js';
export { SobolSampler, SobolSequence, SOBOL_MAX_DIMS, type SobolSamplerOptions } from './sobol.js';
export { TpeSampler, defaultGamma, defaultWeights, type TpeSamplerOptions } from './tpe.js';
export { CmaEsSampler, type CmaEsSamplerOptions } from './cmaes.js';
export { GpSampler, type GpSamplerOptions } from './gp.js';
export { AutoSampler, type AutoSamplerOptions } from './auto.js';
export {
  PortfolioSampler,
  defaultSampler,
  type PortfolioArm,
  type PortfolioSamplerOptions,
} from './portfolio.js';
export { Nsga2Sampler, selectPopulation, type Nsga2SamplerOptions } from './nsga2.js';
export { intersectionSearchSpace, groupDecomposedSearchSpace } from './search-space.js';
