/**
 * The conformance suite every {@link Store} backend must pass (the memory, SQLite and PostgreSQL
 * backends run it; plugins can too). Cross-process guarantees (several writer processes, SIGKILL
 * mid-write) need real processes and live in `test/store-processes.test.ts`.
 *
 * @example
 * storeConformance('sqlite', async () => {
 *   const dir = mkdtempSync(join(tmpdir(), 'mortar-'));
 *   return { store: await openSqliteStore({ path: join(dir, 'm.db') }), cleanup: async () => rmSync(dir, { recursive: true }) };
 * });
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MortarError, type ErrorCode } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import { compareCodePoints, LATEST_SCHEMA_VERSION, type Store } from '../core/store/index.js';

/** A fresh store for one test case, and how to dispose of what it left behind. */
export interface StoreFixture {
  readonly store: Store;
  readonly cleanup?: () => Promise<void>;
}

/** Names of the cases, for {@link StoreConformanceOptions.skip}. */
export type StoreConformanceCase =
  | 'append'
  | 'atomic batch'
  | 'expectedLastSeq'
  | 'read pagination'
  | 'listStreams'
  | 'names'
  | 'doc versions'
  | 'deleteDoc'
  | 'listDocs'
  | 'json round-trip'
  | 'non-json refused'
  | 'no aliasing'
  | 'closed'
  | 'concurrent appends'
  | 'concurrent cas'
  | 'stats and schema';

/** Options of {@link storeConformance}. */
export interface StoreConformanceOptions {
  /** Cases this backend cannot pass, each with the reason (shown as the skipped test's title). */
  readonly skip?: Partial<Record<StoreConformanceCase, string>>;
}

/**
 * Registers a vitest `describe` block that checks `factory()`'s stores against the {@link Store}
 * contract. `factory` is called once per case; the suite closes the store and then calls
 * `cleanup`. Every case works in its own namespace of stream/collection names, so a factory may
 * hand out stores sharing one database.
 */
export function storeConformance(
  name: string,
  factory: () => Promise<StoreFixture>,
  opts: StoreConformanceOptions = {},
): void {
  describe(`Store conformance: ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;
    let ns: string;
    let n = 0;

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
      ns = `c${++n}-${Math.random().toString(36).slice(2, 8)}`;
    });
    afterEach(async () => {
      await store.close();
      await fixture.cleanup?.();
    });

    const test = (c: StoreConformanceCase, title: string, fn: () => Promise<void>) => {
      const why = opts.skip?.[c];
      if (why !== undefined) it.skip(`${c}: ${title} (skipped: ${why})`, fn);
      else it(`${c}: ${title}`, fn);
    };

    test('append', 'assigns contiguous seqs from 1 and reads them back in order', async () => {
      const s = `${ns}/a`;
      expect(await store.lastSeq(s)).toBe(0);
      expect(await store.append(s, [{ i: 1 }])).toEqual({ firstSeq: 1, lastSeq: 1 });
      expect(await store.append(s, [{ i: 2 }, { i: 3 }, { i: 4 }])).toEqual({
        firstSeq: 2,
        lastSeq: 4,
      });
      expect(await store.append(s, [])).toEqual({ firstSeq: 5, lastSeq: 4 });
      expect(await store.lastSeq(s)).toBe(4);
      const recs = await store.read(s);
      expect(recs.map((r) => [r.stream, r.seq, r.data])).toEqual([
        [s, 1, { i: 1 }],
        [s, 2, { i: 2 }],
        [s, 3, { i: 3 }],
        [s, 4, { i: 4 }],
      ]);
      for (const r of recs) expect(Number.isSafeInteger(r.ts) && r.ts > 0).toBe(true);
      expect(await store.read(`${ns}/unknown`)).toEqual([]);
      // Another stream has its own numbering.
      expect(await store.append(`${ns}/b`, ['x'])).toEqual({ firstSeq: 1, lastSeq: 1 });
    });

    test('atomic batch', 'a batch with one bad record writes nothing', async () => {
      const s = `${ns}/atomic`;
      await store.append(s, [1]);
      await expectCode(store.append(s, [2, 3, Number.NaN, 5]), 'INVALID_ARGUMENT', /records\[2\]/);
      await expectCode(
        store.append(s, [2, { deep: [undefined] } as unknown as JsonValue]),
        'INVALID_ARGUMENT',
      );
      expect(await store.lastSeq(s)).toBe(1);
      expect((await store.read(s)).map((r) => r.data)).toEqual([1]);
      expect(await store.append(s, [2])).toEqual({ firstSeq: 2, lastSeq: 2 });
    });

    test('expectedLastSeq', 'CONFLICT when the last seq differs; nothing written', async () => {
      const s = `${ns}/cas`;
      expect(await store.append(s, ['a'], { expectedLastSeq: 0 })).toEqual({
        firstSeq: 1,
        lastSeq: 1,
      });
      expect(await store.append(s, ['b', 'c'], { expectedLastSeq: 1 })).toEqual({
        firstSeq: 2,
        lastSeq: 3,
      });
      const err = await expectCode(
        store.append(s, ['x'], { expectedLastSeq: 1 }),
        'CONFLICT',
        /expected last seq 1, found 3/,
      );
      expect(err.details).toMatchObject({ stream: s, expectedLastSeq: 1, lastSeq: 3 });
      await expectCode(store.append(s, ['x'], { expectedLastSeq: 0 }), 'CONFLICT');
      await expectCode(store.append(s, [], { expectedLastSeq: 2 }), 'CONFLICT');
      expect(await store.append(s, [], { expectedLastSeq: 3 })).toEqual({
        firstSeq: 4,
        lastSeq: 3,
      });
      await expectCode(
        store.append(`${ns}/new`, ['x'], { expectedLastSeq: 1 }),
        'CONFLICT',
        /found 0/,
      );
      expect(await store.lastSeq(`${ns}/new`)).toBe(0);
      expect((await store.read(s)).map((r) => r.data)).toEqual(['a', 'b', 'c']);
      await expectCode(store.append(s, ['x'], { expectedLastSeq: -1 }), 'INVALID_ARGUMENT');
    });

    test('read pagination', 'afterSeq and limit page through a stream', async () => {
      const s = `${ns}/page`;
      await store.append(
        s,
        Array.from({ length: 10 }, (_, i) => i + 1),
      );
      const seen: number[] = [];
      let after = 0;
      for (;;) {
        const page = await store.read(s, { afterSeq: after, limit: 3 });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(3);
        for (const r of page) seen.push(r.data as number);
        after = page[page.length - 1]!.seq;
      }
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect((await store.read(s, { afterSeq: 8 })).map((r) => r.seq)).toEqual([9, 10]);
      expect(await store.read(s, { afterSeq: 10 })).toEqual([]);
      expect(await store.read(s, { afterSeq: 99 })).toEqual([]);
      await expectCode(store.read(s, { limit: 0 }), 'INVALID_ARGUMENT', /limit/);
      await expectCode(store.read(s, { afterSeq: 1.5 }), 'INVALID_ARGUMENT', /afterSeq/);
    });

    test('listStreams', 'lists non-empty streams by prefix, in code point order', async () => {
      const names = [
        `${ns}/b`,
        `${ns}/a`,
        `${ns}/a/x`,
        `${ns}/é`,
        `${ns}/😀`,
        `${ns}/\uffff`,
        `${ns}/%_`,
        `${ns}x`,
      ];
      for (const s of names) await store.append(s, [null]);
      await store.append(`${ns}/empty`, []);
      expect(await store.listStreams(`${ns}/`)).toEqual(
        names.filter((s) => s.startsWith(`${ns}/`)).sort(compareCodePoints),
      );
      expect(await store.listStreams(`${ns}/a`)).toEqual([`${ns}/a`, `${ns}/a/x`]);
      expect(await store.listStreams(`${ns}/%`)).toEqual([`${ns}/%_`]);
      expect(await store.listStreams(`${ns}/_`)).toEqual([]);
      expect(await store.listStreams(`${ns}/nothing`)).toEqual([]);
      const all = await store.listStreams();
      expect(all.filter((s) => s.startsWith(ns))).toEqual([...names].sort(compareCodePoints));
      expect([...all]).toEqual([...all].sort(compareCodePoints));
    });

    test('names', 'empty, NUL and lone-surrogate names are refused', async () => {
      await expectCode(store.append('', [1]), 'INVALID_ARGUMENT', /stream/);
      await expectCode(store.append(`${ns}\0`, [1]), 'INVALID_ARGUMENT', /NUL/);
      await expectCode(store.read(`${ns}\ud800`), 'INVALID_ARGUMENT');
      await expectCode(store.putDoc('', 'k', 1), 'INVALID_ARGUMENT', /collection/);
      await expectCode(store.putDoc(ns, '', 1), 'INVALID_ARGUMENT', /key/);
      await expectCode(store.getDoc(ns, 'x'.repeat(2000)), 'INVALID_ARGUMENT', /limit/);
    });

    test('doc versions', 'putDoc/getDoc with versions and expectedVersion CAS', async () => {
      const c = `${ns}-docs`;
      expect(await store.getDoc(c, 'k')).toBeUndefined();
      const d1 = await store.putDoc(c, 'k', { v: 1 });
      expect(d1).toMatchObject({ collection: c, key: 'k', version: 1, value: { v: 1 } });
      expect(Number.isSafeInteger(d1.updatedAt)).toBe(true);
      expect(await store.getDoc(c, 'k')).toEqual(d1);
      expect((await store.putDoc(c, 'k', { v: 2 })).version).toBe(2);
      const err = await expectCode(
        store.putDoc(c, 'k', { v: 0 }, { expectedVersion: 0 }),
        'CONFLICT',
        /found version 2/,
      );
      expect(err.details).toMatchObject({
        collection: c,
        key: 'k',
        expectedVersion: 0,
        version: 2,
      });
      await expectCode(store.putDoc(c, 'k', { v: 0 }, { expectedVersion: 1 }), 'CONFLICT');
      expect((await store.putDoc(c, 'k', { v: 3 }, { expectedVersion: 2 })).version).toBe(3);
      await expectCode(
        store.putDoc(c, 'missing', 1, { expectedVersion: 4 }),
        'CONFLICT',
        /does not exist/,
      );
      expect(await store.getDoc(c, 'missing')).toBeUndefined();
      expect((await store.putDoc(c, 'new', 'x', { expectedVersion: 0 })).version).toBe(1);
      expect(await store.getDoc(c, 'k')).toMatchObject({ version: 3, value: { v: 3 } });
      expect(await store.getDoc(`${c}-other`, 'k')).toBeUndefined();
      await expectCode(store.putDoc(c, 'k', 1, { expectedVersion: 1.5 }), 'INVALID_ARGUMENT');
    });

    test(
      'deleteDoc',
      'deletes with and without expectedVersion; a re-created doc restarts at 1',
      async () => {
        const c = `${ns}-del`;
        await store.putDoc(c, 'k', 1);
        await store.putDoc(c, 'k', 2);
        await expectCode(
          store.deleteDoc(c, 'k', { expectedVersion: 1 }),
          'CONFLICT',
          /found version 2/,
        );
        await expectCode(store.deleteDoc(c, 'k', { expectedVersion: 0 }), 'CONFLICT');
        expect(await store.getDoc(c, 'k')).toMatchObject({ version: 2 });
        expect(await store.deleteDoc(c, 'k', { expectedVersion: 2 })).toBe(true);
        expect(await store.getDoc(c, 'k')).toBeUndefined();
        expect(await store.deleteDoc(c, 'k')).toBe(false);
        expect(await store.deleteDoc(c, 'k', { expectedVersion: 0 })).toBe(false);
        await expectCode(
          store.deleteDoc(c, 'k', { expectedVersion: 2 }),
          'CONFLICT',
          /does not exist/,
        );
        expect((await store.putDoc(c, 'k', 'again')).version).toBe(1);
        expect(await store.deleteDoc(c, 'k')).toBe(true);
      },
    );

    test('listDocs', 'prefix, limit, order and after page through a collection', async () => {
      const c = `${ns}-list`;
      const keys = ['b', 'a', 'a/2', 'a/1', 'c', 'é', '😀', '%'];
      for (const k of keys) await store.putDoc(c, k, { k });
      await store.putDoc(`${c}-other`, 'a/3', 1);
      const sorted = [...keys].sort(compareCodePoints);
      const ks = async (o?: Parameters<Store['listDocs']>[1]) =>
        (await store.listDocs(c, o)).map((d) => d.key);
      expect(await ks()).toEqual(sorted);
      expect(await ks({ order: 'desc' })).toEqual([...sorted].reverse());
      expect(await ks({ prefix: 'a' })).toEqual(['a', 'a/1', 'a/2']);
      expect(await ks({ prefix: 'a/', order: 'desc', limit: 1 })).toEqual(['a/2']);
      expect(await ks({ limit: 2 })).toEqual(sorted.slice(0, 2));
      expect(await ks({ after: 'a/1' })).toEqual(sorted.slice(sorted.indexOf('a/1') + 1));
      expect(await ks({ after: 'b', order: 'desc' })).toEqual(['a/2', 'a/1', 'a', '%']);
      expect(await ks({ prefix: 'zz' })).toEqual([]);
      // Paging desc with after reaches every key exactly once.
      const paged: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await ks({ order: 'desc', limit: 3, after });
        if (page.length === 0) break;
        paged.push(...page);
        after = page[page.length - 1];
      }
      expect(paged).toEqual([...sorted].reverse());
      const docs = await store.listDocs(c, { prefix: 'c' });
      expect(docs).toEqual([
        expect.objectContaining({ collection: c, key: 'c', version: 1, value: { k: 'c' } }),
      ]);
      expect(await store.listDocs(`${ns}-none`)).toEqual([]);
      await expectCode(store.listDocs(c, { limit: -1 }), 'INVALID_ARGUMENT');
    });

    test(
      'json round-trip',
      'nested values, unicode, extreme numbers and key order survive',
      async () => {
        const value = {
          z: 1,
          a: [1, 'two', null, true, false, { nested: { deeper: [[], {}] } }],
          unicode: 'héllo ✓ 日本語 😀 עברית \u0000 \u001f \ud800 \\ "quoted" \n\t',
          '😀 key': 'emoji key',
          big: Number.MAX_SAFE_INTEGER,
          negBig: -Number.MAX_SAFE_INTEGER,
          huge: 1.7976931348623157e308,
          tiny: 5e-324,
          neg: -1.5e-300,
          frac: 0.1 + 0.2,
          zero: 0,
          deep: Array.from({ length: 50 }).reduce<JsonValue>((acc) => ({ d: acc }), 'bottom'),
          long: 'x'.repeat(300_000),
        };
        const s = `${ns}/json`;
        await store.append(s, [value, 'just a string', 42, null, [], {}]);
        const recs = await store.read(s);
        expect(recs.map((r) => r.data)).toEqual([value, 'just a string', 42, null, [], {}]);
        expect(Object.keys(recs[0]!.data as object)).toEqual(Object.keys(value));
        const doc = await store.putDoc(`${ns}-json`, 'k', value);
        expect(doc.value).toEqual(value);
        const got = await store.getDoc(`${ns}-json`, 'k');
        expect(got?.value).toEqual(value);
        expect(Object.keys(got?.value as object)).toEqual(Object.keys(value));
      },
    );

    test('non-json refused', 'values JSON would change or drop are INVALID_ARGUMENT', async () => {
      const cyclic: Record<string, unknown> = {};
      cyclic['self'] = cyclic;
      const bad: unknown[] = [
        undefined,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        10n,
        () => 1,
        Symbol('s'),
        new Date(0),
        new Map(),
        cyclic,
        { a: undefined },
      ];
      for (const v of bad) {
        await expectCode(
          store.append(`${ns}/bad`, [v as JsonValue]),
          'INVALID_ARGUMENT',
          /not JSON-safe/,
        );
        await expectCode(
          store.putDoc(`${ns}-bad`, 'k', v as JsonValue),
          'INVALID_ARGUMENT',
          /not JSON-safe/,
        );
      }
      expect(await store.lastSeq(`${ns}/bad`)).toBe(0);
      expect(await store.getDoc(`${ns}-bad`, 'k')).toBeUndefined();
      // A shared (non-cyclic) reference is fine.
      const shared = { x: 1 };
      await store.append(`${ns}/bad`, [{ a: shared, b: shared }]);
      expect((await store.read(`${ns}/bad`))[0]?.data).toEqual({ a: { x: 1 }, b: { x: 1 } });
    });

    test('no aliasing', 'mutating inputs or returned values never changes the store', async () => {
      const s = `${ns}/alias`;
      const input = { list: [1, 2], obj: { a: 1 } };
      await store.append(s, [input]);
      input.list.push(3);
      input.obj.a = 99;
      const first = await store.read(s);
      expect(first[0]?.data).toEqual({ list: [1, 2], obj: { a: 1 } });
      const mutable = first[0]!.data as { list: number[]; obj: { a: number } };
      mutable.list.push(4);
      mutable.obj.a = 7;
      (first as unknown[]).length = 0;
      expect((await store.read(s))[0]?.data).toEqual({ list: [1, 2], obj: { a: 1 } });

      const c = `${ns}-alias`;
      const v = { n: [1] };
      const put = await store.putDoc(c, 'k', v);
      v.n.push(2);
      (put.value as { n: number[] }).n.push(3);
      const got = await store.getDoc(c, 'k');
      expect(got?.value).toEqual({ n: [1] });
      (got!.value as { n: number[] }).n.push(4);
      const listed = await store.listDocs(c);
      (listed[0]!.value as { n: number[] }).n.push(5);
      expect((await store.getDoc(c, 'k'))?.value).toEqual({ n: [1] });
    });

    test(
      'closed',
      'every method rejects with FAILED_PRECONDITION after close(); close is idempotent',
      async () => {
        await store.append(`${ns}/x`, [1]);
        await store.close();
        await store.close();
        const calls: [string, () => Promise<unknown>][] = [
          ['append', () => store.append(`${ns}/x`, [2])],
          ['read', () => store.read(`${ns}/x`)],
          ['lastSeq', () => store.lastSeq(`${ns}/x`)],
          ['listStreams', () => store.listStreams()],
          ['getDoc', () => store.getDoc(ns, 'k')],
          ['putDoc', () => store.putDoc(ns, 'k', 1)],
          ['deleteDoc', () => store.deleteDoc(ns, 'k')],
          ['listDocs', () => store.listDocs(ns)],
          ['stats', () => store.stats()],
          ['schemaVersion', () => store.schemaVersion()],
        ];
        for (const [, call] of calls) await expectCode(call(), 'FAILED_PRECONDITION', /is closed/);
      },
    );

    test(
      'concurrent appends',
      'many async callers appending at once: no gaps, no duplicates, order kept',
      async () => {
        const s = `${ns}/concurrent`;
        const callers = 12;
        const perCaller = 15;
        const results = await Promise.all(
          Array.from({ length: callers }, async (_, c) => {
            const got: { firstSeq: number; lastSeq: number }[] = [];
            for (let i = 0; i < perCaller; i++) {
              const batch = Array.from({ length: (i % 3) + 1 }, (_, j) => ({ c, i, j }));
              got.push(await store.append(s, batch));
            }
            return got;
          }),
        );
        const total = callers * perCaller * 2; // batch sizes 1,2,3 repeating: mean 2
        const recs = await store.read(s);
        expect(recs.length).toBe(total);
        expect(recs.map((r) => r.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
        expect(await store.lastSeq(s)).toBe(total);
        // Every returned range holds exactly that caller's batch, in order.
        results.forEach((ranges, c) =>
          ranges.forEach((range, i) => {
            const slice = recs.slice(range.firstSeq - 1, range.lastSeq).map((r) => r.data);
            expect(slice).toEqual(Array.from({ length: (i % 3) + 1 }, (_, j) => ({ c, i, j })));
          }),
        );
      },
    );

    test(
      'concurrent cas',
      'compare-and-set from many callers: every increment lands exactly once',
      async () => {
        const c = `${ns}-cas`;
        const s = `${ns}/claims`;
        await store.putDoc(c, 'counter', 0);
        const callers = 8;
        const perCaller = 5;
        await Promise.all(
          Array.from({ length: callers }, async () => {
            for (let i = 0; i < perCaller; i++) {
              for (;;) {
                const d = (await store.getDoc(c, 'counter'))!;
                try {
                  await store.putDoc(c, 'counter', (d.value as number) + 1, {
                    expectedVersion: d.version,
                  });
                  break;
                } catch (e) {
                  if (!(e instanceof MortarError && e.code === 'CONFLICT')) throw e;
                }
              }
            }
          }),
        );
        const final = await store.getDoc(c, 'counter');
        expect(final).toMatchObject({
          value: callers * perCaller,
          version: callers * perCaller + 1,
        });
        // Journal claims: of many callers appending with expectedLastSeq 0, exactly one wins.
        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            store.append(s, [{ claimedBy: i }], { expectedLastSeq: 0 }),
          ),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of outcomes) {
          if (o.status === 'rejected') expect((o.reason as MortarError).code).toBe('CONFLICT');
        }
        expect(await store.lastSeq(s)).toBe(1);
      },
    );

    test(
      'stats and schema',
      'stats counts streams, records and docs; schemaVersion is the newest',
      async () => {
        const before = await store.stats();
        await store.append(`${ns}/s1`, [1, 2, 3]);
        await store.append(`${ns}/s2`, [4]);
        await store.putDoc(`${ns}-c1`, 'a', 1);
        await store.putDoc(`${ns}-c1`, 'b', 1);
        await store.putDoc(`${ns}-c2`, 'a', 1);
        const after = await store.stats();
        expect(after.streams - before.streams).toBe(2);
        expect(after.records - before.records).toBe(4);
        expect(after.docs - before.docs).toBe(3);
        expect(after.collections[`${ns}-c1`]).toBe(2);
        expect(after.collections[`${ns}-c2`]).toBe(1);
        expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      },
    );
  });
}

async function expectCode(
  p: Promise<unknown>,
  code: ErrorCode,
  message?: RegExp,
): Promise<MortarError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected a MortarError ${code}`).toBeInstanceOf(MortarError);
  const err = caught as MortarError;
  expect(err.code, err.message).toBe(code);
  if (message) expect(err.message).toMatch(message);
  return err;
}
