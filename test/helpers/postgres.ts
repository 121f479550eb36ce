/**
 * PostgreSQL fixtures for tests: the server comes from MORTAR_TEST_POSTGRES (default
 * postgres://root@127.0.0.1:5432/test); each test file works in its own fresh schema and drops it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The database tests use (without `?schema=`). */
export const PG_BASE_URL =
  process.env['MORTAR_TEST_POSTGRES'] ?? 'postgres://root@127.0.0.1:5432/test';

/**
 * Why PostgreSQL tests cannot run, or undefined when they can. When MORTAR_TEST_POSTGRES is set
 * explicitly an unreachable server is an error (the tests fail) rather than a reason to skip.
 */
export async function pgUnavailableReason(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_BASE_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (e) {
    if (process.env['MORTAR_TEST_POSTGRES']) return undefined; // let the tests fail loudly
    return `PostgreSQL is not reachable at ${PG_BASE_URL} (${(e as Error).message}); set MORTAR_TEST_POSTGRES to run these tests`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh schema name, `mortar_test_<random>`. */
export function freshSchema(): string {
  return `mortar_test_${randomBytes(6).toString('hex')}`;
}

/** The store URL for `schema`. */
export function pgUrl(schema: string): string {
  return `${PG_BASE_URL}?schema=${schema}`;
}

/** Runs one SQL statement on the test database. */
export async function pgExec(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: PG_BASE_URL });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** Drops a schema made by {@link freshSchema}. */
export async function dropSchema(schema: string): Promise<void> {
  if (!/^mortar_test_[0-9a-f]+$/.test(schema)) throw new Error(`refusing to drop schema ${schema}`);
  await pgExec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
