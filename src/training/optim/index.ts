/** Optimizers over the engine's update kernels, and learning-rate schedules. */
export type { Optimizer, OptimizerState } from './optimizer.js';
export { Sgd } from './sgd.js';
export { Adam } from './adam.js';
export { OPTIMIZERS } from './registry.js';
export { SCHEDULES, type LrSchedule } from './schedule.js';
