import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { isMortarError } from '../errors.js';
import { storeConformance } from '../../testing/store-conformance.js';
import { openSqliteStore } from './sqlite.js';

const root = mkdtempSync(join(tmpdir(), 'mortar-sqlite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const dbPath = () => join(root, `d${++n}`, 'mortar.db');

storeConformance('sqlite (file)', async () => ({
  store: await openSqliteStore({ path: dbPath() }),
}));
storeConformance('sqlite (:memory:)', async () => ({
  store: await openSqliteStore({ path: ':memory:' }),
}));

describe('sqlite store', () => {
  it('uses WAL and synchronous=FULL, and keeps data across reopen', async () => {
    const path = dbPath();
    const store = await openSqliteStore({ path, clock: new ManualClock(1234) });
    await store.append('s', [{ a: 1 }]);
    await store.putDoc('c', 'k', 'v');
    await store.close();
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
    const again = await openSqliteStore({ path });
    try {
      expect(await again.read('s')).toEqual([{ stream: 's', seq: 1, ts: 1234, data: { a: 1 } }]);
      expect(await again.getDoc('c', 'k')).toEqual({
        collection: 'c',
        key: 'k',
        version: 1,
        updatedAt: 1234,
        value: 'v',
      });
      expect(await again.append('s', [2])).toEqual({ firstSeq: 2, lastSeq: 2 });
      expect(again.description).toBe(`sqlite:${path}`);
    } finally {
      await again.close();
    }
  });

  it('creates the parent folder', async () => {
    const dir = join(root, 'nested', 'deeper');
    const store = await openSqliteStore({ path: join(dir, 'x.db') });
    await store.close();
    expect(readdirSync(dir)).toContain('x.db');
  });

  it('refuses a file that is not a SQLite database with STORE_INCOMPATIBLE', async () => {
    const path = join(root, 'not-a-db.db');
    writeFileSync(
      path,
      'this is not sqlite, just text that is long enough to fill a header page.'.repeat(20),
    );
    const err = await openSqliteStore({ path }).catch((e: unknown) => e);
    expect(isMortarError(err, 'STORE_INCOMPATIBLE')).toBe(true);
    expect((err as Error).message).toMatch(/is not a SQLite database/);
  });
});
