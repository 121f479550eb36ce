import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { isMortarError } from '../errors.js';
import { storeConformance } from '../../testing/store-conformance.js';
import {
  dropSchema,
  freshSchema,
  pgExec,
  pgUnavailableReason,
  pgUrl,
} from '../../../test/helpers/postgres.js';
import { openPostgresStore, parsePostgresUrl, redactUrl } from './postgres.js';

const unavailable = await pgUnavailableReason();
const schema = freshSchema();
afterAll(async () => {
  if (!unavailable) await dropSchema(schema);
});

describe('postgres URLs', () => {
  it('redacts passwords and splits off ?schema=', () => {
    expect(redactUrl('postgres://bob:s3cret@db:5432/x')).toBe('postgres://bob:***@db:5432/x');
    expect(redactUrl('postgres://bob@db/x')).toBe('postgres://bob@db/x');
    const t = parsePostgresUrl('postgresql://bob:pw@db/x?schema=team_a&sslmode=disable');
    expect(t.schema).toBe('team_a');
    expect(t.redacted).toBe('postgresql://bob:***@db/x?schema=team_a&sslmode=disable');
    expect(t.connectionString).toBe('postgresql://bob:pw@db/x?sslmode=disable');
    expect(parsePostgresUrl('postgres://db/x').schema).toBe('public');
    expect(() => parsePostgresUrl('postgres://db/x?schema=bad-name;drop')).toThrow(/schema/);
  });
});

describe.skipIf(unavailable !== undefined)(
  `postgres store${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    storeConformance('postgres', async () => ({
      store: await openPostgresStore({ url: pgUrl(schema) }),
    }));

    it('keeps data across reopen, with the injected clock', async () => {
      const s2 = freshSchema();
      try {
        const store = await openPostgresStore({ url: pgUrl(s2), clock: new ManualClock(777) });
        await store.append('s', [{ a: 1 }, 2]);
        await store.putDoc('c', 'k', 'v');
        await store.close();
        const again = await openPostgresStore({ url: pgUrl(s2) });
        try {
          expect(await again.read('s')).toEqual([
            { stream: 's', seq: 1, ts: 777, data: { a: 1 } },
            { stream: 's', seq: 2, ts: 777, data: 2 },
          ]);
          expect(await again.getDoc('c', 'k')).toEqual({
            collection: 'c',
            key: 'k',
            version: 1,
            updatedAt: 777,
            value: 'v',
          });
          expect(again.description).toBe(pgUrl(s2));
        } finally {
          await again.close();
        }
        const { rows } = await pgExec(`SELECT count(*)::int AS n FROM "${s2}".mortar_journal`);
        expect(rows[0]).toEqual({ n: 2 });
      } finally {
        await dropSchema(s2);
      }
    });

    it('reports an unreachable server as STORE_UNAVAILABLE naming the redacted URL and the fix', async () => {
      const err = await openPostgresStore({
        url: 'postgres://root:hunter2@127.0.0.1:1/test',
      }).catch((e: unknown) => e);
      expect(isMortarError(err, 'STORE_UNAVAILABLE')).toBe(true);
      const msg = (err as Error).message;
      expect(msg).toContain('postgres://root:***@127.0.0.1:1/test');
      expect(msg).not.toContain('hunter2');
      expect(msg).toMatch(/server is running/);
    });

    it('reports a missing database as STORE_UNAVAILABLE', async () => {
      const err = await openPostgresStore({
        url: 'postgres://root@127.0.0.1:5432/mortar_no_such_db',
      }).catch((e: unknown) => e);
      expect(isMortarError(err, 'STORE_UNAVAILABLE')).toBe(true);
      expect((err as Error).message).toMatch(/mortar_no_such_db/);
    });
  },
);
