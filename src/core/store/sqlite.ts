/**
 * The embedded default store: one SQLite file via better-sqlite3.
 *
 * - **WAL journal**: readers never block the writer and vice versa; many processes may open the
 *   same file (on a local disk, not NFS).
 * - **`synchronous=FULL`**: every commit fsyncs the WAL, so a write that returned survives not
 *   only a killed process (NORMAL already does) but also an OS crash or power loss. Mortar's
 *   writes are few and small or batched (trial claims, run docs, metric batches), and a lost
 *   trial claim or run record after a crash is worse than a few hundred microseconds per commit.
 *   Log metrics in batches when appending thousands per second.
 * - **`BEGIN IMMEDIATE`** for every write: the write lock is taken up front, so concurrent
 *   writers queue on `busy_timeout` instead of failing with SQLITE_BUSY when a read transaction
 *   tries to upgrade; the seq of an append is computed inside that lock, hence contiguous.
 * - better-sqlite3 is synchronous: each call runs to completion inside its promise, which makes
 *   calls from one process atomic with respect to each other; waiting for another process's
 *   lock blocks this thread for at most `busyTimeoutMs`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../clock.js';
import { MortarError } from '../errors.js';
import type { JsonValue } from '../json.js';
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
import { MIGRATIONS, migrateSqlite, type Migration } from './migrations.js';
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

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** Absolute path of the database file (its folder is created), or `':memory:'`. */
  readonly path: string;
  /** Timestamps for records and docs; default {@link systemClock}. */
  readonly clock?: Clock;
  /** How long a write waits for another process's write lock; default 15 000 ms. */
  readonly busyTimeoutMs?: number;
  /** The migrations to apply (tests only); default {@link MIGRATIONS}. */
  readonly migrations?: readonly Migration[];
}

interface RecordRow {
  seq: number;
  ts: number;
  data: string;
}
interface DocRow {
  key: string;
  version: number;
  updated_at: number;
  value: string;
}

/**
 * Opens (creating and migrating as needed) a SQLite store.
 * @throws STORE_INCOMPATIBLE for a file written by a newer Mortar or that is not a SQLite database.
 * @example const store = await openSqliteStore({ path: '/tmp/mortar.db' });
 */
export async function openSqliteStore(opts: SqliteStoreOptions): Promise<Store> {
  const clock = opts.clock ?? systemClock;
  const inMemory = opts.path === ':memory:';
  const description = `sqlite:${opts.path}`;
  let db: Database.Database;
  try {
    if (!inMemory) mkdirSync(dirname(opts.path), { recursive: true });
    db = new Database(opts.path, { timeout: opts.busyTimeoutMs ?? 15_000 });
  } catch (e) {
    throw backendError(e, description, 'open');
  }
  try {
    if (!inMemory) {
      const mode = db.pragma('journal_mode = WAL', { simple: true }) as string;
      if (mode !== 'wal') {
        throw new MortarError(
          'STORE_UNAVAILABLE',
          `store ${description}: could not enable WAL (journal_mode is ${mode})`,
        );
      }
    }
    db.pragma('synchronous = FULL');
    migrateSqlite(db, description, clock.now(), opts.migrations ?? MIGRATIONS);
  } catch (e) {
    db.close();
    if ((e as { code?: unknown }).code === 'SQLITE_NOTADB') {
      throw new MortarError(
        'STORE_INCOMPATIBLE',
        `${opts.path} is not a SQLite database; point MORTAR_STORE at another file`,
        {
          cause: e,
        },
      );
    }
    throw backendError(e, description, 'open');
  }
  return sqliteStore(db, description, clock);
}

function sqliteStore(db: Database.Database, description: string, clock: Clock): Store {
  let closed = false;
  const q = {
    lastSeq: db
      .prepare<[string], number>(`SELECT last_seq FROM mortar_streams WHERE stream = ?`)
      .pluck(),
    setLastSeq: db.prepare(
      `INSERT INTO mortar_streams (stream, last_seq) VALUES (?, ?)
       ON CONFLICT (stream) DO UPDATE SET last_seq = excluded.last_seq`,
    ),
    insertRecord: db.prepare(
      `INSERT INTO mortar_journal (stream, seq, ts, data) VALUES (?, ?, ?, ?)`,
    ),
    read: db.prepare<[string, number, number], RecordRow>(
      `SELECT seq, ts, data FROM mortar_journal WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?`,
    ),
    getDoc: db.prepare<[string, string], DocRow>(
      `SELECT key, version, updated_at, value FROM mortar_docs WHERE collection = ? AND key = ?`,
    ),
    docVersion: db
      .prepare<[string, string], number>(
        `SELECT version FROM mortar_docs WHERE collection = ? AND key = ?`,
      )
      .pluck(),
    putDoc: db.prepare(
      `INSERT INTO mortar_docs (collection, key, version, updated_at, value) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (collection, key) DO UPDATE
       SET version = excluded.version, updated_at = excluded.updated_at, value = excluded.value`,
    ),
    deleteDoc: db.prepare(`DELETE FROM mortar_docs WHERE collection = ? AND key = ?`),
    schemaVersion: db.prepare<[], number>(`SELECT MAX(version) FROM mortar_schema`).pluck(),
  };
  const cached = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let s = cached.get(sql);
    if (!s) cached.set(sql, (s = db.prepare(sql)));
    return s;
  };

  const appendTx = db.transaction(
    (stream: string, encoded: readonly string[], expected: number | undefined) => {
      const last = q.lastSeq.get(stream) ?? 0;
      if (expected !== undefined && expected !== last) throw seqConflict(stream, expected, last);
      if (encoded.length === 0) return { firstSeq: last + 1, lastSeq: last };
      const ts = clock.now();
      encoded.forEach((json, i) => q.insertRecord.run(stream, last + 1 + i, ts, json));
      q.setLastSeq.run(stream, last + encoded.length);
      return { firstSeq: last + 1, lastSeq: last + encoded.length };
    },
  );

  const putTx = db.transaction(
    (collection: string, key: string, json: string, expected: number | undefined) => {
      const current = q.docVersion.get(collection, key) ?? 0;
      if (expected !== undefined && expected !== current)
        throw versionConflict(collection, key, expected, current);
      const updatedAt = clock.now();
      q.putDoc.run(collection, key, current + 1, updatedAt, json);
      return { version: current + 1, updatedAt };
    },
  );

  const deleteTx = db.transaction(
    (collection: string, key: string, expected: number | undefined) => {
      const current = q.docVersion.get(collection, key) ?? 0;
      if (expected !== undefined && expected !== current)
        throw versionConflict(collection, key, expected, current);
      return q.deleteDoc.run(collection, key).changes > 0;
    },
  );

  // Each method: closed check, then the synchronous body; backend failures -> STORE_UNAVAILABLE.
  const run = <T>(op: string, fn: () => T): Promise<T> =>
    new Promise<T>((resolve) => {
      if (closed) throw closedError(description);
      try {
        resolve(fn());
      } catch (e) {
        throw backendError(e, description, op);
      }
    });

  return {
    kind: 'sqlite',
    description,

    append(
      stream: string,
      records: readonly JsonValue[],
      o?: AppendOptions,
    ): Promise<AppendResult> {
      return run('append', () => {
        checkName('stream', stream);
        const expected = checkExpected(o, 'expectedLastSeq');
        const encoded = records.map((r, i) => encodeJson(r, `records[${i}]`));
        return appendTx.immediate(stream, encoded, expected);
      });
    },

    read(stream: string, o?: ReadOptions): Promise<readonly JournalRecord[]> {
      return run('read', () => {
        checkName('stream', stream);
        const { afterSeq, limit } = readOptions(o);
        return q.read
          .all(stream, afterSeq, limit ?? -1)
          .map((r) => ({ stream, seq: r.seq, ts: r.ts, data: decodeJson(r.data) }));
      });
    },

    lastSeq(stream: string): Promise<number> {
      return run('lastSeq', () => q.lastSeq.get(checkName('stream', stream)) ?? 0);
    },

    listStreams(prefix = ''): Promise<readonly string[]> {
      return run('listStreams', () => {
        checkName('prefix', prefix);
        const upper = prefixUpperBound(prefix);
        const sql = `SELECT stream FROM mortar_streams WHERE stream >= ?${upper === undefined ? '' : ' AND stream < ?'} ORDER BY stream`;
        return prepare(sql)
          .pluck()
          .all(...(upper === undefined ? [prefix] : [prefix, upper])) as string[];
      });
    },

    getDoc(collection: string, key: string): Promise<Doc | undefined> {
      return run('getDoc', () => {
        const row = q.getDoc.get(checkName('collection', collection), checkName('key', key));
        return row && toDoc(collection, row);
      });
    },

    putDoc(collection: string, key: string, value: JsonValue, o?: DocWriteOptions): Promise<Doc> {
      return run('putDoc', () => {
        checkName('collection', collection);
        checkName('key', key);
        const expected = checkExpected(o, 'expectedVersion');
        const json = encodeJson(value, 'value');
        const { version, updatedAt } = putTx.immediate(collection, key, json, expected);
        return { collection, key, version, updatedAt, value: decodeJson(json) };
      });
    },

    deleteDoc(collection: string, key: string, o?: DocWriteOptions): Promise<boolean> {
      return run('deleteDoc', () => {
        checkName('collection', collection);
        checkName('key', key);
        return deleteTx.immediate(collection, key, checkExpected(o, 'expectedVersion'));
      });
    },

    listDocs(collection: string, o?: ListDocsOptions): Promise<readonly Doc[]> {
      return run('listDocs', () => {
        checkName('collection', collection);
        const { prefix, limit, order, after } = listOptions(o);
        const upper = prefixUpperBound(prefix);
        const where = ['collection = ?', 'key >= ?'];
        const params: (string | number)[] = [collection, prefix];
        if (upper !== undefined) {
          where.push('key < ?');
          params.push(upper);
        }
        if (after !== undefined) {
          where.push(order === 'asc' ? 'key > ?' : 'key < ?');
          params.push(after);
        }
        params.push(limit ?? -1);
        const sql = `SELECT key, version, updated_at, value FROM mortar_docs WHERE ${where.join(' AND ')}
                     ORDER BY key ${order === 'asc' ? 'ASC' : 'DESC'} LIMIT ?`;
        return (prepare(sql).all(...params) as DocRow[]).map((r) => toDoc(collection, r));
      });
    },

    stats(): Promise<StoreStats> {
      return run('stats', () => {
        const s = prepare(
          `SELECT COUNT(*) AS streams, COALESCE(SUM(last_seq), 0) AS records FROM mortar_streams`,
        ).get() as {
          streams: number;
          records: number;
        };
        const rows = prepare(
          `SELECT collection, COUNT(*) AS n FROM mortar_docs GROUP BY collection ORDER BY collection`,
        ).all() as { collection: string; n: number }[];
        const collections: Record<string, number> = {};
        for (const r of rows) collections[r.collection] = r.n;
        return { ...s, docs: rows.reduce((a, r) => a + r.n, 0), collections };
      });
    },

    schemaVersion(): Promise<number> {
      return run('schemaVersion', () => q.schemaVersion.get() ?? 0);
    },

    close(): Promise<void> {
      if (!closed) {
        closed = true;
        db.close();
      }
      return Promise.resolve();
    },
  };
}

function toDoc(collection: string, r: DocRow): Doc {
  return {
    collection,
    key: r.key,
    version: r.version,
    updatedAt: r.updated_at,
    value: decodeJson(r.value),
  };
}
