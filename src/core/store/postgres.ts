/**
 * The shared store: PostgreSQL via a `pg` Pool, for several machines (or many processes) at once.
 *
 * **Seq allocation.** `mortar_streams(stream, last_seq)` holds each stream's last seq. An append
 * runs `INSERT ... ON CONFLICT (stream) DO UPDATE SET last_seq = last_seq + n RETURNING last_seq`
 * first: that allocates the range `[last - n + 1, last]` and holds the stream's row lock until
 * COMMIT, so concurrent appenders to one stream queue on the lock (appenders to other streams do
 * not) and see each other's committed result (READ COMMITTED re-reads the row after the wait).
 * No retries, no gaps, no duplicates, and commits happen in seq order, so a tailing reader never
 * sees seq n+1 before n. (The alternative, `UNIQUE (stream, seq)` plus retry on violation,
 * lets a later seq become visible before an earlier one and retries under contention.)
 * `expectedLastSeq` compares with `last - n` and rolls back on mismatch.
 *
 * **Values** are stored as JSON text, not `jsonb`: text keeps key order and accepts everything
 * `JSON.stringify` writes (jsonb rejects `\u0000` and lone surrogates and rewrites numbers).
 * A later migration can add generated jsonb columns for querying.
 *
 * **Schemas.** `?schema=NAME` in the URL puts the tables in that schema (created if missing;
 * default `public`), so tests and tenants can share one database.
 */
import pg from 'pg';
import type { PoolClient } from 'pg';
import { systemClock, type Clock } from '../clock.js';
import { MortarError } from '../errors.js';
import type { JsonValue } from '../json.js';
import { noopLogger, type Logger } from '../logger.js';
import {
  backendError,
  checkExpected,
  checkName,
  closedError,
  decodeJson,
  encodeJson,
  listOptions,
  prefixUpperBound,
  readOptions,
  seqConflict,
  versionConflict,
} from './common.js';
import { MIGRATIONS, migratePostgres, quoteIdent, type Migration } from './migrations.js';
import type {
  AppendOptions,
  AppendResult,
  Doc,
  DocWriteOptions,
  JournalRecord,
  ListDocsOptions,
  ReadOptions,
  Store,
  StoreStats,
} from './types.js';

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?schema=NAME]` (or `postgresql://`). */
  readonly url: string;
  /** Timestamps for records and docs; default {@link systemClock}. */
  readonly clock?: Clock;
  /** Most connections held at once; default 10. */
  readonly poolMax?: number;
  /** Where errors of idle pooled connections are reported; default none. */
  readonly logger?: Logger;
  /** The migrations to apply (tests only); default {@link MIGRATIONS}. */
  readonly migrations?: readonly Migration[];
}

/** A parsed postgres URL: what to connect to, which schema, and how to show it. */
export interface PostgresTarget {
  readonly connectionString: string;
  readonly schema: string;
  /** The URL with its password replaced by `***`. */
  readonly redacted: string;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Splits `?schema=NAME` off a postgres URL and redacts its password. */
export function parsePostgresUrl(url: string): PostgresTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch (e) {
    throw new MortarError('INVALID_ARGUMENT', `store URL ${redactUrl(url)} is not a valid URL`, {
      cause: e,
    });
  }
  const schema = u.searchParams.get('schema') ?? 'public';
  if (!SCHEMA_NAME.test(schema)) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `store URL ${redactUrl(url)}: schema ${JSON.stringify(schema)} must be letters, digits and _ (not first), at most 63`,
    );
  }
  const redacted = redactUrl(url);
  u.searchParams.delete('schema');
  return { connectionString: u.toString(), schema, redacted };
}

/** The URL with any password replaced by `***` (unparseable input is returned up to its `@`). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

interface RecordRow {
  seq: string;
  ts: string;
  data: string;
}
interface DocRow {
  key: string;
  version: string;
  updated_at: string;
  value: string;
}

/**
 * Connects, creates the schema if needed, applies migrations, and returns the store.
 * @throws STORE_UNAVAILABLE when the server cannot be reached (the message names the redacted URL).
 * @throws STORE_INCOMPATIBLE when the schema was written by a newer Mortar.
 * @example const store = await openPostgresStore({ url: 'postgres://me@localhost/mortar?schema=team_a' });
 */
export async function openPostgresStore(opts: PostgresStoreOptions): Promise<Store> {
  const target = parsePostgresUrl(opts.url);
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? noopLogger;
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max: opts.poolMax ?? 10,
    connectionTimeoutMillis: 10_000,
    allowExitOnIdle: true,
    application_name: 'mortar',
  });
  // An idle pooled connection that dies (server restart) must not crash the process; the next
  // query gets a fresh connection or a STORE_UNAVAILABLE error.
  pool.on('error', (err) =>
    logger.warn('postgres: idle connection failed', { store: target.redacted, error: err.message }),
  );

  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (e) {
    await pool.end().catch(() => undefined); // nothing to clean up beyond the failed pool
    throw new MortarError(
      'STORE_UNAVAILABLE',
      `cannot connect to PostgreSQL at ${target.redacted}: ${(e as Error).message}. ` +
        'Check that the server is running and that host, port, user, password and database are right, ' +
        'or set MORTAR_STORE=sqlite:.mortar/mortar.db to use the embedded store',
      { cause: e, details: { store: target.redacted } },
    );
  }
  try {
    await migratePostgres(
      client,
      target.schema,
      target.redacted,
      clock.now(),
      opts.migrations ?? MIGRATIONS,
    );
    client.release();
  } catch (e) {
    client.release(true);
    await pool.end().catch(() => undefined);
    throw backendError(e, target.redacted, 'migrate');
  }
  return postgresStore(pool, target, clock);
}

function postgresStore(pool: pg.Pool, target: PostgresTarget, clock: Clock): Store {
  const description = target.redacted;
  const t = (table: string) => `${quoteIdent(target.schema)}.${table}`;
  const STREAMS = t('mortar_streams');
  const JOURNAL = t('mortar_journal');
  const DOCS = t('mortar_docs');
  let closing: Promise<void> | undefined;

  const guard = async <T>(op: string, fn: () => Promise<T>): Promise<T> => {
    if (closing) throw closedError(description);
    try {
      return await fn();
    } catch (e) {
      throw backendError(e, description, op);
    }
  };

  const tx = async <T>(fn: (c: PoolClient) => Promise<T>): Promise<T> => {
    const c = await pool.connect();
    let broken: Error | undefined;
    try {
      await c.query('BEGIN');
      const result = await fn(c);
      await c.query('COMMIT');
      return result;
    } catch (e) {
      await c.query('ROLLBACK').catch((re: Error) => (broken = re));
      throw e;
    } finally {
      c.release(broken);
    }
  };

  const lastSeqOf = async (stream: string): Promise<number> => {
    const { rows } = await pool.query<{ last_seq: string }>(
      `SELECT last_seq FROM ${STREAMS} WHERE stream = $1`,
      [stream],
    );
    return rows[0] ? Number(rows[0].last_seq) : 0;
  };

  const versionOf = async (collection: string, key: string): Promise<number> => {
    const { rows } = await pool.query<{ version: string }>(
      `SELECT version FROM ${DOCS} WHERE collection = $1 AND key = $2`,
      [collection, key],
    );
    return rows[0] ? Number(rows[0].version) : 0;
  };

  return {
    kind: 'postgres',
    description,

    append(
      stream: string,
      records: readonly JsonValue[],
      o?: AppendOptions,
    ): Promise<AppendResult> {
      return guard('append', async () => {
        checkName('stream', stream);
        const expected = checkExpected(o, 'expectedLastSeq');
        const encoded = records.map((r, i) => encodeJson(r, `records[${i}]`));
        const n = encoded.length;
        if (n === 0) {
          const last = await lastSeqOf(stream);
          if (expected !== undefined && expected !== last)
            throw seqConflict(stream, expected, last);
          return { firstSeq: last + 1, lastSeq: last };
        }
        return tx(async (c) => {
          const { rows } = await c.query<{ last_seq: string }>(
            `INSERT INTO ${STREAMS} AS s (stream, last_seq) VALUES ($1, $2)
             ON CONFLICT (stream) DO UPDATE SET last_seq = s.last_seq + EXCLUDED.last_seq
             RETURNING last_seq`,
            [stream, n],
          );
          const last = Number(rows[0]?.last_seq);
          const prev = last - n;
          if (expected !== undefined && expected !== prev)
            throw seqConflict(stream, expected, prev);
          await c.query(
            `INSERT INTO ${JOURNAL} (stream, seq, ts, data)
             SELECT $1, $2::bigint + u.o - 1, $3, u.d FROM unnest($4::text[]) WITH ORDINALITY AS u(d, o)`,
            [stream, prev + 1, clock.now(), encoded],
          );
          return { firstSeq: prev + 1, lastSeq: last };
        });
      });
    },

    read(stream: string, o?: ReadOptions): Promise<readonly JournalRecord[]> {
      return guard('read', async () => {
        checkName('stream', stream);
        const { afterSeq, limit } = readOptions(o);
        const { rows } = await pool.query<RecordRow>(
          `SELECT seq, ts, data FROM ${JOURNAL} WHERE stream = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
          [stream, afterSeq, limit ?? null],
        );
        return rows.map((r) => ({
          stream,
          seq: Number(r.seq),
          ts: Number(r.ts),
          data: decodeJson(r.data),
        }));
      });
    },

    lastSeq(stream: string): Promise<number> {
      return guard('lastSeq', () => lastSeqOf(checkName('stream', stream)));
    },

    listStreams(prefix = ''): Promise<readonly string[]> {
      return guard('listStreams', async () => {
        checkName('prefix', prefix);
        const upper = prefixUpperBound(prefix);
        const { rows } = await pool.query<{ stream: string }>(
          `SELECT stream FROM ${STREAMS} WHERE stream >= $1 AND ($2::text IS NULL OR stream < $2) ORDER BY stream`,
          [prefix, upper ?? null],
        );
        return rows.map((r) => r.stream);
      });
    },

    getDoc(collection: string, key: string): Promise<Doc | undefined> {
      return guard('getDoc', async () => {
        const { rows } = await pool.query<DocRow>(
          `SELECT key, version, updated_at, value FROM ${DOCS} WHERE collection = $1 AND key = $2`,
          [checkName('collection', collection), checkName('key', key)],
        );
        return rows[0] && toDoc(collection, rows[0]);
      });
    },

    putDoc(collection: string, key: string, value: JsonValue, o?: DocWriteOptions): Promise<Doc> {
      return guard('putDoc', async () => {
        checkName('collection', collection);
        checkName('key', key);
        const expected = checkExpected(o, 'expectedVersion');
        const json = encodeJson(value, 'value');
        const updatedAt = clock.now();
        const params = [collection, key, updatedAt, json];
        let sql: string;
        if (expected === undefined) {
          sql = `INSERT INTO ${DOCS} AS d (collection, key, version, updated_at, value) VALUES ($1, $2, 1, $3, $4)
                 ON CONFLICT (collection, key) DO UPDATE
                 SET version = d.version + 1, updated_at = EXCLUDED.updated_at, value = EXCLUDED.value
                 RETURNING version`;
        } else if (expected === 0) {
          sql = `INSERT INTO ${DOCS} (collection, key, version, updated_at, value) VALUES ($1, $2, 1, $3, $4)
                 ON CONFLICT (collection, key) DO NOTHING RETURNING version`;
        } else {
          sql = `UPDATE ${DOCS} SET version = version + 1, updated_at = $3, value = $4
                 WHERE collection = $1 AND key = $2 AND version = $5 RETURNING version`;
          params.push(expected);
        }
        const { rows } = await pool.query<{ version: string }>(sql, params);
        if (!rows[0]) {
          throw versionConflict(collection, key, expected ?? 0, await versionOf(collection, key));
        }
        return {
          collection,
          key,
          version: Number(rows[0].version),
          updatedAt,
          value: decodeJson(json),
        };
      });
    },

    deleteDoc(collection: string, key: string, o?: DocWriteOptions): Promise<boolean> {
      return guard('deleteDoc', async () => {
        checkName('collection', collection);
        checkName('key', key);
        const expected = checkExpected(o, 'expectedVersion');
        if (expected === 0) {
          const current = await versionOf(collection, key);
          if (current !== 0) throw versionConflict(collection, key, 0, current);
          return false;
        }
        const byVersion = expected === undefined ? '' : ' AND version = $3';
        const res = await pool.query(
          `DELETE FROM ${DOCS} WHERE collection = $1 AND key = $2${byVersion}`,
          expected === undefined ? [collection, key] : [collection, key, expected],
        );
        if ((res.rowCount ?? 0) > 0) return true;
        if (expected !== undefined)
          throw versionConflict(collection, key, expected, await versionOf(collection, key));
        return false;
      });
    },

    listDocs(collection: string, o?: ListDocsOptions): Promise<readonly Doc[]> {
      return guard('listDocs', async () => {
        checkName('collection', collection);
        const { prefix, limit, order, after } = listOptions(o);
        const cmp = order === 'asc' ? '>' : '<';
        const { rows } = await pool.query<DocRow>(
          `SELECT key, version, updated_at, value FROM ${DOCS}
           WHERE collection = $1 AND key >= $2 AND ($3::text IS NULL OR key < $3)
             AND ($4::text IS NULL OR key ${cmp} $4)
           ORDER BY key ${order === 'asc' ? 'ASC' : 'DESC'} LIMIT $5`,
          [collection, prefix, prefixUpperBound(prefix) ?? null, after ?? null, limit ?? null],
        );
        return rows.map((r) => toDoc(collection, r));
      });
    },

    stats(): Promise<StoreStats> {
      return guard('stats', async () => {
        const s = await pool.query<{ streams: string; records: string }>(
          `SELECT COUNT(*) AS streams, COALESCE(SUM(last_seq), 0) AS records FROM ${STREAMS}`,
        );
        const { rows } = await pool.query<{ collection: string; n: string }>(
          `SELECT collection, COUNT(*) AS n FROM ${DOCS} GROUP BY collection ORDER BY collection`,
        );
        const collections: Record<string, number> = {};
        let docs = 0;
        for (const r of rows) {
          collections[r.collection] = Number(r.n);
          docs += Number(r.n);
        }
        return {
          streams: Number(s.rows[0]?.streams),
          records: Number(s.rows[0]?.records),
          docs,
          collections,
        };
      });
    },

    schemaVersion(): Promise<number> {
      return guard('schemaVersion', async () => {
        const { rows } = await pool.query<{ v: number | null }>(
          `SELECT MAX(version) AS v FROM ${t('mortar_schema')}`,
        );
        return rows[0]?.v ?? 0;
      });
    },

    close(): Promise<void> {
      closing ??= pool.end();
      return closing;
    },
  };
}

function toDoc(collection: string, r: DocRow): Doc {
  return {
    collection,
    key: r.key,
    version: Number(r.version),
    updatedAt: Number(r.updated_at),
    value: decodeJson(r.value),
  };
}
