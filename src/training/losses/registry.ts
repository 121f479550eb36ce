import { KindRegistry } from '../../core/registry.js';
import { BceLoss } from './bce.js';
import { CrossEntropyLoss } from './cross-entropy.js';
import type { Loss } from './loss.js';
import { MseLoss } from './mse.js';

/** Loss kinds by name: cross-entropy (hard, soft, weighted), mse, bce (with logits). */
export const LOSSES = new KindRegistry<Loss>('loss')
  .register('cross-entropy', (c) => new CrossEntropyLoss(c))
  .register('mse', (c) => new MseLoss(c))
  .register('bce', (c) => new BceLoss(c));
