/**
 * `mortar/core`: the pieces every layer stands on. Heavy native parts live behind their own
 * subpaths and are not re-exported here: `mortar/store` (SQLite, PostgreSQL), `mortar/data`
 * (DuckDB), `mortar/report` (HTML reports).
 */
export * from './errors.js';
export * from './json.js';
export * from './clock.js';
export * from './rng.js';
export * from './logger.js';
export * from './metrics.js';
export * from './registry.js';
export * from './config/index.js';
