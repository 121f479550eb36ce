/**
 * Studies in the core {@link Store}: a {@link TrialJournal} over the store's journal streams
 * (`append(stream, records, { expectedLastSeq })` is the compare-and-append every claim relies
 * on), so the same reducer, checks and retries serve memory, SQLite and PostgreSQL, in one process
 * or many.
 *
 * @example
 * const store = await openStore('sqlite:.mortar/mortar.db', { cwd });
 * const study = await Study.create({ name: 'mlp', storage: storeStorage(store), loadIfExists: true });
 */
import type { JsonValue } from '../core/json.js';
import type { Store } from '../core/store/types.js';
import {
  JournalStorage,
  type JournalStorageOptions,
  type StudyEvent,
  type TrialJournal,
} from './journal.js';

/** A {@link TrialJournal} over `store` (one stream per study). The store is not closed by it. */
export function storeJournal(store: Store): TrialJournal {
  return {
    async append(stream, events, { expectedLastSeq }) {
      const r = await store.append(stream, events as unknown as JsonValue[], { expectedLastSeq });
      return r.lastSeq;
    },
    async read(stream, opts = {}) {
      const records = await store.read(stream, { afterSeq: opts.afterSeq ?? 0 });
      return records.map((r) => ({ seq: r.seq, event: r.data as unknown as StudyEvent }));
    },
    async streams(prefix) {
      return [...(await store.listStreams(prefix))];
    },
  };
}

/** A {@link JournalStorage} over `store`: studies live in streams `tuning/study/<name>`. */
export function storeStorage(store: Store, opts: JournalStorageOptions = {}): JournalStorage {
  return new JournalStorage(storeJournal(store), opts);
}
