/** Training losses over network outputs; see {@link Loss} for the contract. */
export type { Loss, Target } from './loss.js';
export { CrossEntropyLoss } from './cross-entropy.js';
export { MseLoss } from './mse.js';
export { BceLoss } from './bce.js';
export { LOSSES } from './registry.js';
