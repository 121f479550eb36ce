/**
 * `mortar/testing`: the conformance suites every implementation of a Mortar interface must pass.
 * Plugins reuse them in their own vitest runs (vitest is then a peer dependency).
 */
export * from './store-conformance.js';
export * from './sampler-conformance.js';
export * from './label-model-conformance.js';
export * from './batch-policy-conformance.js';
export * from './bandit-conformance.js';
export * from './model-conformance.js';
export * from './layer-conformance.js';
export * from './loss-conformance.js';
export * from './optimizer-conformance.js';
export * from './comparator-conformance.js';
export * from './classic-conformance.js';
export * from './trial-journal-conformance.js';
export * from './request-decoder-conformance.js';
