/**
 * Mortar's durable state: one {@link Store} interface (append-only journal streams + versioned
 * JSON docs) with memory, SQLite and PostgreSQL backends, and the Runs API on top.
 * See README.md in this folder for why the store is shaped this way.
 */
export type {
  AppendOptions,
  AppendResult,
  Doc,
  DocWriteOptions,
  JournalRecord,
  ListDocsOptions,
  ReadOptions,
  Store,
  StoreKind,
  StoreStats,
} from './types.js';
export { MAX_NAME_LENGTH, compareCodePoints } from './common.js';
export { createMemoryStore, type MemoryStoreOptions } from './memory.js';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite.js';
export {
  openPostgresStore,
  parsePostgresUrl,
  redactUrl,
  type PostgresStoreOptions,
  type PostgresTarget,
} from './postgres.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations.js';
export { openStore, STORE_URL_FORMS, type OpenStoreOptions } from './open.js';
export {
  RUNS_COLLECTION,
  createRun,
  finishRun,
  getRun,
  listRuns,
  logMetricBatch,
  logMetrics,
  metricsStream,
  newRunId,
  readMetrics,
  requireRun,
  type CreateRunOptions,
  type ListRunsOptions,
  type MetricPoint,
  type Run,
  type RunStatus,
} from './runs.js';
