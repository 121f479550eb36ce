import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMortarError } from '../errors.js';
import {
  dropSchema,
  freshSchema,
  pgUnavailableReason,
  pgUrl,
} from '../../../test/helpers/postgres.js';
import { openStore } from './open.js';

const cwd = mkdtempSync(join(tmpdir(), 'mortar-open-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const unavailable = await pgUnavailableReason();

describe('openStore', () => {
  it('memory: and sqlite::memory:', async () => {
    for (const [url, kind] of [
      ['memory:', 'memory'],
      ['sqlite::memory:', 'sqlite'],
    ] as const) {
      const store = await openStore(url, { cwd });
      expect(store.kind).toBe(kind);
      expect(await store.append('s', [1])).toEqual({ firstSeq: 1, lastSeq: 1 });
      await store.close();
    }
  });

  it('sqlite:PATH is relative to cwd and creates the parent folder', async () => {
    const store = await openStore('sqlite:.mortar/mortar.db', { cwd });
    expect(store.kind).toBe('sqlite');
    expect(store.description).toBe(`sqlite:${join(cwd, '.mortar', 'mortar.db')}`);
    await store.close();
    expect(existsSync(join(cwd, '.mortar', 'mortar.db'))).toBe(true);
    const abs = join(cwd, 'abs', 'x.db');
    const store2 = await openStore(`sqlite:${abs}`, { cwd: '/nonexistent' });
    expect(store2.description).toBe(`sqlite:${abs}`);
    await store2.close();
  });

  it('refuses other URLs with INVALID_ARGUMENT naming the URL (redacted) and the accepted forms', async () => {
    for (const url of ['mysql://u:pw@h/db', 'sqlite:', 'foo.db', '']) {
      const err = await openStore(url, { cwd }).catch((e: unknown) => e);
      expect(isMortarError(err, 'INVALID_ARGUMENT'), `${url}: ${String(err)}`).toBe(true);
      const msg = (err as Error).message;
      expect(msg).toMatch(/sqlite:PATH/);
      expect(msg).toMatch(/postgres:\/\//);
      expect(msg).not.toContain(':pw@');
    }
    const err = await openStore('mysql://u:pw@h/db', { cwd }).catch((e: unknown) => e);
    expect((err as Error).message).toContain('mysql://u:***@h/db');
  });

  it.skipIf(unavailable !== undefined)(
    `postgres:// and postgresql://${unavailable ? ` (skipped: ${unavailable})` : ''}`,
    async () => {
      const schema = freshSchema();
      try {
        for (const url of [pgUrl(schema), pgUrl(schema).replace(/^postgres:/, 'postgresql:')]) {
          const store = await openStore(url, { cwd });
          expect(store.kind).toBe('postgres');
          await store.append('s', [1]);
          await store.close();
        }
        const store = await openStore(pgUrl(schema), { cwd });
        expect(await store.lastSeq('s')).toBe(2);
        await store.close();
      } finally {
        await dropSchema(schema);
      }
    },
  );
});
