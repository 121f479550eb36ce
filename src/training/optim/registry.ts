import { KindRegistry } from '../../core/registry.js';
import { Adam } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { Sgd } from './sgd.js';

/** Optimizer kinds by name: sgd (momentum, nesterov), adam, adamw. */
export const OPTIMIZERS = new KindRegistry<Optimizer>('optimizer')
  .register('sgd', (c) => new Sgd(c))
  .register('adam', (c) => new Adam(c, false))
  .register('adamw', (c) => new Adam(c, true));
