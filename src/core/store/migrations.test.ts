import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { isMortarError, type MortarError } from '../errors.js';
import {
  dropSchema,
  freshSchema,
  pgExec,
  pgUnavailableReason,
  pgUrl,
} from '../../../test/helpers/postgres.js';
import {
  LATEST_SCHEMA_VERSION,
  MIGRATIONS,
  checkNotNewer,
  latestOf,
  type Migration,
} from './migrations.js';
import { openPostgresStore } from './postgres.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

/** A made-up next migration, as a newer Mortar would ship it. */
const NEXT: Migration = {
  version: MIGRATIONS.length + 1,
  description: 'test: an extra table',
  sqlite: ['CREATE TABLE mortar_test_extra (id INTEGER PRIMARY KEY)'],
  postgres: (t) => [`CREATE TABLE ${t('mortar_test_extra')} (id INTEGER PRIMARY KEY)`],
};
const NEWER = [...MIGRATIONS, NEXT];

async function refusal(p: Promise<Store>): Promise<MortarError> {
  const err = await p.then(
    async (s) => {
      await s.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(
    isMortarError(err, 'STORE_INCOMPATIBLE'),
    `expected STORE_INCOMPATIBLE, got ${String(err)}`,
  ).toBe(true);
  return err as MortarError;
}

describe('migration list', () => {
  it('is numbered 1, 2, 3, ... and the newest is LATEST_SCHEMA_VERSION', () => {
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(() => latestOf([{ ...NEXT, version: 5 }])).toThrow(/version 5, expected 1/);
  });
  it('checkNotNewer names both versions and the fix', () => {
    expect(() => checkNotNewer(1, 1, 'x')).not.toThrow();
    expect(() => checkNotNewer(3, 1, 'sqlite:/a.db')).toThrow(
      'store at sqlite:/a.db was written by a newer Mortar (schema v3; this Mortar supports up to v1); upgrade Mortar or point MORTAR_STORE elsewhere',
    );
  });
});

describe('sqlite migrations', () => {
  const root = mkdtempSync(join(tmpdir(), 'mortar-migrate-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a fresh database gets the newest version, recorded in mortar_schema', async () => {
    const path = join(root, 'fresh.db');
    const store = await openSqliteStore({ path });
    expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    await store.close();
    const db = new Database(path, { readonly: true });
    const rows = db
      .prepare('SELECT version, description FROM mortar_schema ORDER BY version')
      .all();
    db.close();
    expect(rows).toEqual(
      MIGRATIONS.map((m) => ({ version: m.version, description: m.description })),
    );
  });

  it('applies pending migrations on open and keeps the data; the older code then refuses the store', async () => {
    const path = join(root, 'upgrade.db');
    const v1 = await openSqliteStore({ path });
    await v1.append('s', ['kept']);
    await v1.close();

    const v2 = await openSqliteStore({ path, migrations: NEWER });
    expect(await v2.schemaVersion()).toBe(NEXT.version);
    expect((await v2.read('s')).map((r) => r.data)).toEqual(['kept']);
    await v2.close();
    const db = new Database(path, { readonly: true });
    expect(
      db.prepare(`SELECT name FROM sqlite_master WHERE name = 'mortar_test_extra'`).get(),
    ).toBeTruthy();
    db.close();

    const err = await refusal(openSqliteStore({ path }));
    expect(err.message).toContain(
      `schema v${NEXT.version}; this Mortar supports up to v${LATEST_SCHEMA_VERSION}`,
    );
    expect(err.message).toContain(`sqlite:${path}`);
  });

  it('refuses a database whose recorded version is from the future, and writes nothing', async () => {
    const path = join(root, 'future.db');
    await (await openSqliteStore({ path })).close();
    const db = new Database(path);
    db.prepare(
      `INSERT INTO mortar_schema (version, description, applied_at) VALUES (99, 'future', 0)`,
    ).run();
    db.close();
    const err = await refusal(openSqliteStore({ path }));
    expect(err.message).toMatch(
      /written by a newer Mortar \(schema v99; this Mortar supports up to v\d+\)/,
    );
    expect(err.message).toMatch(/upgrade Mortar or point MORTAR_STORE elsewhere/);
    expect(err.details).toMatchObject({
      schemaVersion: 99,
      supportedVersion: LATEST_SCHEMA_VERSION,
    });
    const check = new Database(path, { readonly: true });
    expect(check.prepare('SELECT COUNT(*) AS n FROM mortar_schema').get()).toEqual({
      n: LATEST_SCHEMA_VERSION + 1,
    });
    check.close();
  });
});

const unavailable = await pgUnavailableReason();

describe.skipIf(unavailable !== undefined)(
  `postgres migrations${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    const schemas: string[] = [];
    const schema = () => {
      const s = freshSchema();
      schemas.push(s);
      return s;
    };
    afterAll(async () => {
      for (const s of schemas) await dropSchema(s);
    });

    it('a fresh schema is created and gets the newest version, even with concurrent openers', async () => {
      const s = schema();
      const stores = await Promise.all(
        Array.from({ length: 4 }, () => openPostgresStore({ url: pgUrl(s) })),
      );
      for (const st of stores) expect(await st.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      await Promise.all(stores.map((st) => st.close()));
      const { rows } = await pgExec(
        `SELECT version, description FROM "${s}".mortar_schema ORDER BY version`,
      );
      expect(rows).toEqual(
        MIGRATIONS.map((m) => ({ version: m.version, description: m.description })),
      );
    });

    it('applies pending migrations on open; the older code then refuses the schema', async () => {
      const s = schema();
      const v1 = await openPostgresStore({ url: pgUrl(s) });
      await v1.append('s', ['kept']);
      await v1.close();
      const v2 = await openPostgresStore({ url: pgUrl(s), migrations: NEWER });
      expect(await v2.schemaVersion()).toBe(NEXT.version);
      expect((await v2.read('s')).map((r) => r.data)).toEqual(['kept']);
      await v2.close();
      const { rows } = await pgExec(`SELECT to_regclass($1) IS NOT NULL AS e`, [
        `"${s}".mortar_test_extra`,
      ]);
      expect(rows[0]).toEqual({ e: true });
      const err = await refusal(openPostgresStore({ url: pgUrl(s) }));
      expect(err.message).toContain(
        `schema v${NEXT.version}; this Mortar supports up to v${LATEST_SCHEMA_VERSION}`,
      );
    });

    it('refuses a schema whose recorded version is from the future, naming the redacted URL', async () => {
      const s = schema();
      await (await openPostgresStore({ url: pgUrl(s) })).close();
      await pgExec(
        `INSERT INTO "${s}".mortar_schema (version, description, applied_at) VALUES (42, 'future', 0)`,
      );
      const err = await refusal(openPostgresStore({ url: pgUrl(s) }));
      expect(err.message).toContain(
        `store at ${pgUrl(s)} was written by a newer Mortar (schema v42; this Mortar supports up to v${LATEST_SCHEMA_VERSION})`,
      );
    });
  },
);
