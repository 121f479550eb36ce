/**
 * `mortar`: the root entry re-exports the core. Subsystems have their own subpaths
 * (`mortar/store`, `mortar/data`, `mortar/report`, `mortar/http`, `mortar/testing`, ...).
 */
export * from './core/index.js';
