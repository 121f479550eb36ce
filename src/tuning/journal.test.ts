import { describe, expect, it } from 'vitest';
import { MortarError, isMortarError } from '../core/errors.js';
import { floatDistribution } from './distributions.js';
import {
  JournalStorage,
  MemoryJournal,
  StudyState,
  type StudyEvent,
  type TrialJournal,
} from './journal.js';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isMortarError(e)) return e.code;
    throw e;
  }
  return 'OK';
}

const x = floatDistribution('x', 0, 1);

describe('JournalStorage over MemoryJournal', () => {
  it('replays the same state from the journal', async () => {
    const journal = new MemoryJournal();
    let t = 1000;
    const s = new JournalStorage(journal, { now: () => t++ });
    await s.createStudy({ name: 'a', directions: ['minimize'], constraints: [] });
    const t0 = await s.createTrial('a', { state: 'running' });
    await s.updateTrial('a', t0.number, {
      params: [{ name: 'x', distribution: x, value: 0.25 }],
      intermediate: [{ step: 1, value: 3 }],
    });
    await s.updateTrial('a', t0.number, {
      intermediate: [
        { step: 0, value: 4 },
        { step: 1, value: 99 },
      ],
    });
    await s.finishTrial('a', t0.number, { state: 'complete', values: [0.5] });
    await s.createTrial('a', { state: 'waiting', systemAttrs: { fixed_params: { x: 0.5 } } });

    const again = new JournalStorage(new MemoryJournal(journal.dump()));
    const trials = await again.getTrials('a');
    expect(trials).toEqual(await s.getTrials('a'));
    expect(trials[0]?.intermediate).toEqual([
      { step: 0, value: 4 },
      { step: 1, value: 3 },
    ]);
    expect(trials[0]?.startedAt).toBe(1001);
    expect(trials[1]?.state).toBe('waiting');
    expect(Object.isFrozen(trials[0]?.params)).toBe(true);
    expect(Object.isFrozen(trials[0]?.distributions['x'])).toBe(true);
    expect(Object.isFrozen(trials[0]?.intermediate[0])).toBe(true);
    expect(Object.isFrozen(trials[1]?.systemAttrs['fixed_params'])).toBe(true);
    const events = journal.dump()['tuning/study/a'] as StudyEvent[];
    expect(events.map((e) => e.type)).toEqual([
      'study_created',
      'trial_created',
      'trial_updated',
      'trial_updated',
      'trial_finished',
      'trial_created',
    ]);
    expect(StudyState.replay(events).trials()).toEqual(trials);
  });

  it('rejects bad writes with clear codes and changes nothing', async () => {
    const s = new JournalStorage(new MemoryJournal());
    expect(await code(s.createTrial('nope', { state: 'running' }))).toBe('NOT_FOUND');
    expect(
      await code(s.createStudy({ name: 'bad name!', directions: ['minimize'], constraints: [] })),
    ).toBe('INVALID_ARGUMENT');
    await s.createStudy({ name: 'a', directions: ['minimize'], constraints: [] });
    expect(
      await code(s.createStudy({ name: 'a', directions: ['minimize'], constraints: [] })),
    ).toBe('ALREADY_EXISTS');
    const t = await s.createTrial('a', { state: 'running' });
    expect(
      await code(
        s.updateTrial('a', t.number, { params: [{ name: 'x', distribution: x, value: 2 }] }),
      ),
    ).toBe('INVALID_ARGUMENT');
    expect(await code(s.finishTrial('a', t.number, { state: 'complete', values: [NaN] }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(await code(s.finishTrial('a', 7, { state: 'failed' }))).toBe('NOT_FOUND');
    await s.finishTrial('a', t.number, { state: 'failed' });
    expect(await code(s.finishTrial('a', t.number, { state: 'complete', values: [1] }))).toBe(
      'FAILED_PRECONDITION',
    );
    expect(
      await code(s.updateTrial('a', t.number, { intermediate: [{ step: 1, value: 1 }] })),
    ).toBe('FAILED_PRECONDITION');
    expect((await s.getTrials('a')).map((tr) => tr.state)).toEqual(['failed']);
    expect(await s.listStudies()).toEqual(['a']);
  });

  it('two storages on one journal resolve races: each waiting trial goes to one, one finish wins', async () => {
    const journal = new MemoryJournal();
    const a = new JournalStorage(journal);
    const b = new JournalStorage(journal);
    await a.createStudy({ name: 's', directions: ['minimize'], constraints: [] });
    await a.createTrial('s', { state: 'waiting' });
    await b.createTrial('s', { state: 'running' });
    const [ta, tb] = await Promise.all([a.startWaitingTrial('s'), b.startWaitingTrial('s')]);
    expect([ta?.number, tb?.number].filter((n) => n !== undefined)).toEqual([0]);
    const results = await Promise.allSettled([
      a.finishTrial('s', 1, { state: 'complete', values: [1] }),
      b.finishTrial('s', 1, { state: 'complete', values: [2] }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await b.getTrial('s', 1)).values).toEqual([1]);
  });

  it('gives up with CONFLICT after maxRetries', async () => {
    const always: TrialJournal = {
      append: () => Promise.reject(new MortarError('CONFLICT', 'busy')),
      read: () => Promise.resolve([]),
      streams: () => Promise.resolve([]),
    };
    const s = new JournalStorage(always, { maxRetries: 3 });
    expect(
      await code(s.createStudy({ name: 'a', directions: ['minimize'], constraints: [] })),
    ).toBe('CONFLICT');
  });

  it('the reducer refuses inconsistent journals', () => {
    expect(() => StudyState.replay([{ type: 'trial_started', number: 0, at: 0 }])).toThrow(
      /before study_created/,
    );
    const created: StudyEvent = {
      type: 'study_created',
      study: { name: 'a', directions: ['minimize'], constraints: [], createdAt: 0 },
    };
    expect(() =>
      StudyState.replay([created, { type: 'trial_created', number: 3, at: 0, state: 'running' }]),
    ).toThrow(/expected 0/);
  });
});
