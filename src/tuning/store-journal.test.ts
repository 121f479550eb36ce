import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../core/store/memory.js';
import { openPostgresStore } from '../core/store/postgres.js';
import { openSqliteStore } from '../core/store/sqlite.js';
import { trialJournalConformance } from '../testing/trial-journal-conformance.js';
import {
  dropSchema,
  freshSchema,
  pgUnavailableReason,
  pgUrl,
} from '../../test/helpers/postgres.js';
import { MemoryJournal } from './journal.js';
import { RandomSampler } from './samplers/random.js';
import { storeJournal, storeStorage } from './store-journal.js';
import { Study } from './study.js';

const dir = mkdtempSync(join(tmpdir(), 'mortar-tuning-journal-'));
const unavailable = await pgUnavailableReason();
const schemas: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const s of schemas) await dropSchema(s);
});
let n = 0;

trialJournalConformance('MemoryJournal', async () => ({ journal: new MemoryJournal() }));

trialJournalConformance('memory store', async () => {
  const store = createMemoryStore();
  return { journal: storeJournal(store), close: () => store.close() };
});

trialJournalConformance('sqlite store (two connections)', async () => {
  const path = join(dir, `s${n++}.db`);
  const a = await openSqliteStore({ path });
  const b = await openSqliteStore({ path });
  return {
    journal: storeJournal(a),
    other: storeJournal(b),
    close: async () => {
      await a.close();
      await b.close();
    },
  };
});

describe.skipIf(unavailable !== undefined)(
  `postgres${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    trialJournalConformance('postgres store (two connections)', async () => {
      const schema = freshSchema();
      schemas.push(schema);
      const a = await openPostgresStore({ url: pgUrl(schema) });
      const b = await openPostgresStore({ url: pgUrl(schema) });
      return {
        journal: storeJournal(a),
        other: storeJournal(b),
        close: async () => {
          await a.close();
          await b.close();
        },
      };
    });
  },
);

describe('storeStorage', () => {
  it('keeps a study across reopening a SQLite file', async () => {
    const path = join(dir, 'reopen.db');
    const first = await openSqliteStore({ path });
    const study = await Study.create({
      name: 'reopen',
      storage: storeStorage(first),
      sampler: new RandomSampler({ seed: 1 }),
    });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 4 });
    const before = await study.getTrials();
    await first.close();
    const second = await openSqliteStore({ path });
    try {
      const again = await Study.load('reopen', { storage: storeStorage(second) });
      expect(await again.getTrials()).toEqual(before);
      expect(await storeStorage(second).listStudies()).toEqual(['reopen']);
    } finally {
      await second.close();
    }
  });
});
