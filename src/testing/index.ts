/**
 * `mortar/testing`: the conformance suites every implementation of a Mortar interface must pass.
 * Plugins reuse them in their own vitest runs (vitest is then a peer dependency).
 */
export * from './store-conformance.js';
export * from './sampler-conformance.js';
