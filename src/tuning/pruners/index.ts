/**
 * The pruner registry: every shipped pruner by `kind`, rebuilt from its JSON config.
 * @example prunerRegistry.create('median', { nWarmupSteps: 5 })
 */
import { z } from 'zod';
import { MortarError } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import { KindRegistry } from '../../core/registry.js';
import { HyperbandPruner } from './hyperband.js';
import { MedianPruner } from './median.js';
import { PercentilePruner } from './percentile.js';
import { NopPruner, type Pruner } from './pruner.js';
import { SuccessiveHalvingPruner } from './successive-halving.js';

function parse<T>(kind: string, schema: z.ZodType<T>, config: JsonValue): T {
  const r = schema.safeParse(config ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new MortarError(
      'INVALID_CONFIG',
      `pruner "${kind}": ${issue?.path.join('.') || 'config'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return r.data;
}

const int0 = z.number().int().min(0).optional();
const common = {
  nStartupTrials: int0,
  nWarmupSteps: int0,
  intervalSteps: z.number().int().min(1).optional(),
  nMinTrials: z.number().int().min(1).optional(),
};

/** Every shipped pruner kind. */
export const prunerRegistry = new KindRegistry<Pruner>('pruner')
  .register('nop', () => new NopPruner())
  .register('median', (c) => new MedianPruner(parse('median', z.strictObject(common), c)))
  .register(
    'percentile',
    (c) =>
      new PercentilePruner(
        parse(
          'percentile',
          z.strictObject({ ...common, percentile: z.number().min(0).max(100) }),
          c,
        ),
      ),
  )
  .register(
    'successive-halving',
    (c) =>
      new SuccessiveHalvingPruner(
        parse(
          'successive-halving',
          z.strictObject({
            minResource: z.union([z.literal('auto'), z.number().int().min(1)]).optional(),
            reductionFactor: z.number().int().min(2).optional(),
            minEarlyStoppingRate: int0,
          }),
          c,
        ),
      ),
  )
  .register(
    'hyperband',
    (c) =>
      new HyperbandPruner(
        parse(
          'hyperband',
          z.strictObject({
            minResource: z.number().int().min(1).optional(),
            maxResource: z.union([z.literal('auto'), z.number().int().min(1)]).optional(),
            reductionFactor: z.number().int().min(2).optional(),
          }),
          c,
        ),
      ),
  );

export { NopPruner, type Pruner } from './pruner.js';
export { MedianPruner, type MedianPrunerOptions } from './median.js';
export { PercentilePruner, percentileOf, type PercentilePrunerOptions } from './percentile.js';
export {
  SuccessiveHalvingPruner,
  type SuccessiveHalvingPrunerOptions,
} from './successive-halving.js';
export { HyperbandPruner, type HyperbandPrunerOptions } from './hyperband.js';
