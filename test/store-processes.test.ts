/**
 * Cross-process guarantees of the durable stores, with real child processes:
 * (a) several processes appending at once lose nothing and keep seqs contiguous;
 * (b) a writer SIGKILLed in the middle of writing leaves the store consistent, with every
 *     record it reported committed readable and no partial batch visible.
 * No timing assertions: the kill moment only varies where the writer is interrupted.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore, type JournalRecord, type Store } from '../src/core/store/index.js';
import { dropSchema, freshSchema, pgUnavailableReason, pgUrl } from './helpers/postgres.js';

const WRITER = join(import.meta.dirname, 'helpers', 'store-writer.ts');
const root = mkdtempSync(join(tmpdir(), 'mortar-procs-'));
const schemas: string[] = [];
const unavailable = await pgUnavailableReason();
const running = new Set<ChildProcessWithoutNullStreams>();
afterEach(() => {
  // A failed test must not leave writers behind.
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});
afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  for (const s of schemas) await dropSchema(s);
});

interface Writer {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[];
  /** Resolves once a line satisfies `pred` (rejects if the child exits first). */
  waitFor(pred: (line: string, all: readonly string[]) => boolean): Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

function spawnWriter(config: Record<string, unknown>): Writer {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', WRITER, JSON.stringify({ cwd: root, ...config })],
    {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  const lines: string[] = [];
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const waiters: {
    pred: (l: string, all: readonly string[]) => boolean;
    resolve: () => void;
    reject: (e: Error) => void;
  }[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => {
    lines.push(l);
    for (const w of [...waiters]) {
      if (w.pred(l, lines)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      running.delete(child);
      for (const w of waiters.splice(0))
        w.reject(new Error(`writer exited (${code ?? signal}) early; stderr:\n${err}`));
      resolve({ code, signal });
    }),
  );
  return {
    child,
    lines,
    exited,
    stderr: () => err,
    waitFor: (pred) =>
      new Promise<void>((resolve, reject) => waiters.push({ pred, resolve, reject })),
  };
}

async function concurrentWriters(url: string): Promise<void> {
  const procs = 4;
  const count = 40; // batches per writer; sizes 1,2,3,4 repeating -> 100 records each
  const writers = Array.from({ length: procs }, (_, id) =>
    spawnWriter({ url, mode: 'concurrent', id, count }),
  );
  await Promise.all(writers.map((w) => w.waitFor((l) => l === 'ready')));
  for (const w of writers) w.child.stdin.end('go\n');
  const results = await Promise.all(writers.map((w) => w.exited));
  results.forEach((r, i) => expect(r, writers[i]!.stderr()).toEqual({ code: 0, signal: null }));
  for (const w of writers) expect(w.lines).toContain('done');

  const store = await openStore(url, { cwd: root });
  try {
    const recs = await store.read('proc/shared');
    const perWriter = count * 2.5;
    expect(recs.length).toBe(procs * perWriter);
    expect(recs.map((r) => r.seq)).toEqual(
      Array.from({ length: procs * perWriter }, (_, i) => i + 1),
    );
    expect(await store.lastSeq('proc/shared')).toBe(procs * perWriter);
    // Each writer's records are all there, once, in its order; each batch is contiguous.
    for (let w = 0; w < procs; w++) {
      const mine = recs.filter((r) => (r.data as { w: number }).w === w);
      const expected = Array.from({ length: count }, (_, i) =>
        Array.from({ length: (i % 4) + 1 }, (_, j) => ({ w, i, j })),
      ).flat();
      expect(mine.map((r) => r.data)).toEqual(expected);
      for (const batchStart of mine.filter((r) => (r.data as { j: number }).j === 0)) {
        const size = ((batchStart.data as { i: number }).i % 4) + 1;
        const slice = recs.slice(batchStart.seq - 1, batchStart.seq - 1 + size).map((r) => r.data);
        expect(slice).toEqual(
          Array.from({ length: size }, (_, j) => ({ ...(batchStart.data as object), j })),
        );
      }
      expect((await store.read(`proc/w${w}`)).map((r) => r.data)).toEqual(
        Array.from({ length: count }, (_, i) => i),
      );
    }
    expect(await store.getDoc('proc', 'counter')).toMatchObject({
      value: procs * 10,
      version: procs * 10,
    });
  } finally {
    await store.close();
  }
}

/** How long after `begin <b>` each round's writer is killed (not an assertion, just variety). */
const KILL_DELAYS_MS = [0, 3, 8, 15, 30, 60];

interface Commit {
  readonly round: number;
  readonly b: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
}

/** Runs `rounds` writers one after another, each SIGKILLed mid-stream; returns their commits. */
async function killWriters(
  url: string,
  rounds: number,
  batch: number,
  check: () => Promise<void>,
): Promise<Commit[]> {
  const commits: Commit[] = [];
  for (let round = 0; round < rounds; round++) {
    const w = spawnWriter({ url, mode: 'crash', id: 0, batch, round });
    // Let it commit a few batches, then kill it some time after it began the next append: each
    // round waits a different while, so the kills land before, inside and after the commit.
    await w.waitFor((l) => l === `begin ${3 + round}`);
    await new Promise((resolve) =>
      setTimeout(resolve, KILL_DELAYS_MS[round % KILL_DELAYS_MS.length]),
    );
    w.child.kill('SIGKILL');
    const exit = await w.exited;
    expect(exit.signal, w.stderr()).toBe('SIGKILL');
    for (const l of w.lines) {
      const m = /^committed (\d+) (\d+) (\d+)$/.exec(l);
      if (m)
        commits.push({ round, b: Number(m[1]), firstSeq: Number(m[2]), lastSeq: Number(m[3]) });
    }
    await check();
  }
  return commits;
}

async function verifyAfterKill(
  store: Store,
  commits: readonly Commit[],
  batch: number,
): Promise<void> {
  const recs = await store.read('crash/journal');
  const last = await store.lastSeq('crash/journal');
  expect(recs.length).toBe(last);
  expect(recs.map((r) => r.seq)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
  // Whole batches only: records come in runs of `batch` with j = 0..batch-1 and one (round, b).
  expect(last % batch).toBe(0);
  for (let start = 0; start < recs.length; start += batch) {
    const group = recs
      .slice(start, start + batch)
      .map((r: JournalRecord) => r.data as { round: number; b: number; j: number });
    expect(group.map((d) => d.j)).toEqual(Array.from({ length: batch }, (_, j) => j));
    expect(new Set(group.map((d) => `${d.round}/${d.b}`)).size).toBe(1);
  }
  // Every batch a writer reported committed is there, at the seqs it was given.
  expect(commits.length).toBeGreaterThan(0);
  for (const c of commits) {
    const got = recs
      .slice(c.firstSeq - 1, c.lastSeq)
      .map((r) => r.data as { round: number; b: number });
    expect(got.length).toBe(batch);
    for (const d of got) expect([d.round, d.b]).toEqual([c.round, c.b]);
  }
  // The doc is intact, and the store is still writable after the crash.
  const doc = await store.getDoc('crash', 'latest');
  expect(doc?.value).toMatchObject({ pad: expect.any(String) as unknown });
  const next = await store.append('crash/probe', [{ after: 'crash' }]);
  expect(next.firstSeq).toBe(await store.lastSeq('crash/probe'));
}

describe('store across processes: sqlite', () => {
  it('4 processes appending at once to one file lose nothing; seqs stay contiguous', async () => {
    await concurrentWriters(`sqlite:${join(root, 'concurrent.db')}`);
  }, 120_000);

  it('a writer SIGKILLed mid-write leaves an intact database with every committed record', async () => {
    const path = join(root, 'crash.db');
    const url = `sqlite:${path}`;
    const batch = 200;
    const commits = await killWriters(url, 6, batch, async () => {
      const db = new Database(path);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
      } finally {
        db.close();
      }
    });
    const store = await openStore(url, { cwd: root });
    try {
      await verifyAfterKill(store, commits, batch);
    } finally {
      await store.close();
    }
  }, 120_000);
});

describe.skipIf(unavailable !== undefined)(
  `store across processes: postgres${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    it('4 processes appending at once lose nothing; seqs stay contiguous', async () => {
      const schema = freshSchema();
      schemas.push(schema);
      await concurrentWriters(pgUrl(schema));
    }, 120_000);

    it('a writer SIGKILLed mid-write leaves every committed record and no partial batch', async () => {
      const schema = freshSchema();
      schemas.push(schema);
      const batch = 200;
      const commits = await killWriters(pgUrl(schema), 4, batch, async () => undefined);
      const store = await openStore(pgUrl(schema), { cwd: root });
      try {
        await verifyAfterKill(store, commits, batch);
      } finally {
        await store.close();
      }
    }, 120_000);
  },
);
