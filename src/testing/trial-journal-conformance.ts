/**
 * Conformance suite for tuning {@link TrialJournal}s (Optuna's pytest_storages runs one suite over
 * every storage): compare-and-append, replay, and two storages over one journal racing the way two
 * workers do. Call from a `*.test.ts` file:
 *
 * @example
 * trialJournalConformance('memory', async () => ({ journal: new MemoryJournal() }));
 */
import { describe, expect, it } from 'vitest';
import { isMortarError } from '../core/errors.js';
import {
  JournalStorage,
  Study,
  floatDistribution,
  RandomSampler,
  type StudyEvent,
  type TrialJournal,
} from '../tuning/index.js';

/** What a journal factory returns; `close` (optional) runs after each test. */
export interface JournalFixture {
  readonly journal: TrialJournal;
  /** A second journal on the same data (another connection/process view); defaults to `journal`. */
  readonly other?: TrialJournal;
  close?(): Promise<void>;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    if (isMortarError(e)) return e.code;
    throw e;
  }
}

/** Runs the journal suite against `create()`. */
export function trialJournalConformance(name: string, create: () => Promise<JournalFixture>): void {
  const withJournal = (fn: (f: JournalFixture) => Promise<void>) => async () => {
    const f = await create();
    try {
      await fn(f);
    } finally {
      await f.close?.();
    }
  };
  const created: StudyEvent = {
    type: 'study_created',
    study: { name: 's', directions: ['minimize'], constraints: [], createdAt: 1 },
  };

  describe(`TrialJournal conformance: ${name}`, () => {
    it(
      'appends with compare-and-append and reads after a seq',
      withJournal(async ({ journal }) => {
        expect(await journal.append('tuning/study/s', [created], { expectedLastSeq: 0 })).toBe(1);
        expect(
          await codeOf(journal.append('tuning/study/s', [created], { expectedLastSeq: 0 })),
        ).toBe('CONFLICT');
        const ev: StudyEvent = { type: 'trial_created', number: 0, at: 2, state: 'running' };
        expect(
          await journal.append(
            'tuning/study/s',
            [ev, { type: 'trial_finished', number: 0, at: 3, state: 'failed' }],
            { expectedLastSeq: 1 },
          ),
        ).toBe(3);
        const all = await journal.read('tuning/study/s');
        expect(all.map((e) => e.seq)).toEqual([1, 2, 3]);
        expect(all[1]?.event).toEqual(ev);
        expect((await journal.read('tuning/study/s', { afterSeq: 2 })).map((e) => e.seq)).toEqual([
          3,
        ]);
        expect(await journal.read('tuning/study/none')).toEqual([]);
        expect(await journal.streams('tuning/study/')).toContain('tuning/study/s');
      }),
    );

    it(
      'rebuilds the same study from the journal (resume after a crash)',
      withJournal(async ({ journal, other }) => {
        const a = new JournalStorage(journal);
        const study = await Study.create({
          name: 'r',
          storage: a,
          sampler: new RandomSampler({ seed: 3 }),
        });
        await study.optimize((t) => t.suggestFloat('x', -1, 1) ** 2, { nTrials: 5 });
        const left = await study.ask();
        left.suggestFloat('x', -1, 1);
        await left.flush();
        const b = new JournalStorage(other ?? journal);
        const again = await Study.load('r', { storage: b });
        expect(await again.getTrials()).toEqual(await study.getTrials());
        expect((await again.getTrials(['running'])).map((t) => t.number)).toEqual([5]);
        expect((await again.failStaleTrials()).map((t) => t.number)).toEqual([5]);
        expect((await a.getTrial('r', 5)).state).toBe('failed');
      }),
    );

    it(
      'lets exactly one of two racing workers finish a trial or take a waiting trial',
      withJournal(async ({ journal, other }) => {
        const a = new JournalStorage(journal);
        const b = new JournalStorage(other ?? journal);
        await a.createStudy({ name: 'race', directions: ['minimize'], constraints: [] });
        const x = floatDistribution('x', 0, 1);
        for (let round = 0; round < 5; round++) {
          const t = await a.createTrial('race', {
            state: 'running',
            params: [{ name: 'x', distribution: x, value: 0.5 }],
          });
          await b.getTrials('race'); // b has seen the trial running
          const outcomes = await Promise.all([
            codeOf(a.finishTrial('race', t.number, { state: 'complete', values: [1] })),
            codeOf(b.finishTrial('race', t.number, { state: 'complete', values: [2] })),
          ]);
          expect(outcomes.sort()).toEqual(['FAILED_PRECONDITION', 'OK']);
          await a.createTrial('race', { state: 'waiting' });
          const taken = await Promise.all([
            a.startWaitingTrial('race'),
            b.startWaitingTrial('race'),
          ]);
          expect(taken.filter((w) => w !== undefined)).toHaveLength(1);
          const w = taken.find((v) => v !== undefined);
          if (w) await a.finishTrial('race', w.number, { state: 'failed' });
        }
        const trials = await new JournalStorage(journal).getTrials('race');
        expect(trials).toHaveLength(10);
        expect(trials.every((t) => t.state === 'complete' || t.state === 'failed')).toBe(true);
      }),
    );

    it(
      'hands distinct trial numbers to concurrent creators',
      withJournal(async ({ journal, other }) => {
        const a = new JournalStorage(journal);
        const b = new JournalStorage(other ?? journal);
        await a.createStudy({ name: 'many', directions: ['minimize'], constraints: [] });
        await b.getStudy('many');
        const made = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            (i % 2 ? a : b).createTrial('many', { state: 'running' }),
          ),
        );
        expect(made.map((t) => t.number).sort((p, q) => p - q)).toEqual([...Array(12).keys()]);
      }),
    );
  });
}
