/**
 * Versioned schema migrations, applied automatically when a store is opened.
 *
 * Each database records the migrations applied to it in `mortar_schema(version, description,
 * applied_at)`; its schema version is the largest `version` there. On open, the pending
 * migrations run in one transaction under an exclusive lock (SQLite `BEGIN IMMEDIATE`,
 * PostgreSQL `pg_advisory_xact_lock`), so several processes opening a fresh store at once apply
 * each migration exactly once. A store whose version is newer than {@link LATEST_SCHEMA_VERSION}
 * was written by a newer Mortar: it is refused with `STORE_INCOMPATIBLE` before anything is
 * written, since this code cannot know what the newer schema means.
 *
 * Rules for adding a migration: append to {@link MIGRATIONS} with the next version; never edit a
 * released one; keep it backward compatible where possible (add tables/columns) because an older
 * Mortar will refuse the store once it has been migrated.
 */
import type { Database } from 'better-sqlite3';
import type { PoolClient } from 'pg';
import { MortarError } from '../errors.js';

/** One schema change, as SQL for each durable backend. */
export interface Migration {
  /** 1, 2, 3, ... in order. */
  readonly version: number;
  /** What it does, recorded in `mortar_schema`. */
  readonly description: string;
  /** SQLite statements. */
  readonly sqlite: readonly string[];
  /** PostgreSQL statements; `t('name')` gives the schema-qualified table name. */
  readonly postgres: (t: (table: string) => string) => readonly string[];
}

/** Every migration this Mortar knows, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'journal streams and documents',
    sqlite: [
      `CREATE TABLE mortar_streams (stream TEXT PRIMARY KEY, last_seq INTEGER NOT NULL)`,
      `CREATE TABLE mortar_journal (
         stream TEXT NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL, data TEXT NOT NULL,
         PRIMARY KEY (stream, seq))`,
      `CREATE TABLE mortar_docs (
         collection TEXT NOT NULL, key TEXT NOT NULL, version INTEGER NOT NULL,
         updated_at INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (collection, key))`,
    ],
    // COLLATE "C": byte order, the same order SQLite and the memory store use, and lets prefix
    // ranges use the primary-key index whatever the database's default collation is.
    postgres: (t) => [
      `CREATE TABLE ${t('mortar_streams')} (stream TEXT COLLATE "C" PRIMARY KEY, last_seq BIGINT NOT NULL)`,
      `CREATE TABLE ${t('mortar_journal')} (
         stream TEXT COLLATE "C" NOT NULL, seq BIGINT NOT NULL, ts BIGINT NOT NULL, data TEXT NOT NULL,
         PRIMARY KEY (stream, seq))`,
      `CREATE TABLE ${t('mortar_docs')} (
         collection TEXT COLLATE "C" NOT NULL, key TEXT COLLATE "C" NOT NULL, version BIGINT NOT NULL,
         updated_at BIGINT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (collection, key))`,
    ],
  },
];

/** The newest schema version this Mortar can read and write. */
export const LATEST_SCHEMA_VERSION: number = latestOf(MIGRATIONS);

/** The newest version in `migrations` (checked to be 1, 2, 3, ...). */
export function latestOf(migrations: readonly Migration[]): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new MortarError(
        'INTERNAL',
        `migration #${i} has version ${m.version}, expected ${i + 1}`,
      );
  });
  return migrations.length;
}

/** Throws STORE_INCOMPATIBLE when `stored` is newer than `latest`. */
export function checkNotNewer(stored: number, latest: number, description: string): void {
  if (stored > latest) {
    throw new MortarError(
      'STORE_INCOMPATIBLE',
      `store at ${description} was written by a newer Mortar (schema v${stored}; this Mortar supports up to v${latest}); ` +
        'upgrade Mortar or point MORTAR_STORE elsewhere',
      { details: { store: description, schemaVersion: stored, supportedVersion: latest } },
    );
  }
}

const SCHEMA_TABLE = `(version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)`;

/**
 * Brings a SQLite database up to the newest version in `migrations`; returns its version.
 * Synchronous (better-sqlite3); waits for other writers up to the connection's busy_timeout.
 */
export function migrateSqlite(
  db: Database,
  description: string,
  now: number,
  migrations: readonly Migration[] = MIGRATIONS,
): number {
  const latest = latestOf(migrations);
  const storedVersion = (): number => {
    const exists = db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'mortar_schema'`)
      .get();
    if (!exists) return 0;
    const row = db.prepare(`SELECT MAX(version) AS v FROM mortar_schema`).get() as {
      v: number | null;
    };
    return row.v ?? 0;
  };
  // Fast path without the write lock: an up-to-date (or newer) store.
  const seen = storedVersion();
  checkNotNewer(seen, latest, description);
  if (seen === latest) return latest;

  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(`CREATE TABLE IF NOT EXISTS mortar_schema ${SCHEMA_TABLE}`);
    const current = storedVersion();
    checkNotNewer(current, latest, description);
    const record = db.prepare(
      `INSERT INTO mortar_schema (version, description, applied_at) VALUES (?, ?, ?)`,
    );
    for (const m of migrations.slice(current)) {
      for (const sql of m.sqlite) db.exec(sql);
      record.run(m.version, m.description, now);
    }
    db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
  return latest;
}

/**
 * Brings PostgreSQL schema `schema` (created if missing) up to the newest version in
 * `migrations`; returns its version. Uses `client` for one transaction.
 */
export async function migratePostgres(
  client: PoolClient,
  schema: string,
  description: string,
  now: number,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number> {
  const latest = latestOf(migrations);
  const t = (table: string) => `${quoteIdent(schema)}.${table}`;
  const storedVersion = async (): Promise<number> => {
    const { rows } = await client.query<{ e: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS e`, [
      t('mortar_schema'),
    ]);
    if (!rows[0]?.e) return 0;
    const r = await client.query<{ v: number | null }>(
      `SELECT MAX(version) AS v FROM ${t('mortar_schema')}`,
    );
    return r.rows[0]?.v ?? 0;
  };
  const seen = await storedVersion();
  checkNotNewer(seen, latest, description);
  if (seen === latest) return latest;

  await client.query('BEGIN');
  try {
    // Serializes concurrent openers of the same schema (CREATE ... IF NOT EXISTS alone races).
    await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`mortar-migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${t('mortar_schema')} ${SCHEMA_TABLE}`);
    const current = await storedVersion();
    checkNotNewer(current, latest, description);
    for (const m of migrations.slice(current)) {
      for (const sql of m.postgres(t)) await client.query(sql);
      await client.query(
        `INSERT INTO ${t('mortar_schema')} (version, description, applied_at) VALUES ($1, $2, $3)`,
        [m.version, m.description, now],
      );
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined); // the original error is what matters
    throw e;
  }
  return latest;
}

/** Quotes a PostgreSQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
