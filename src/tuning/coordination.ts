/**
 * Coordination of many workers on one study through the core {@link Store} (shared PostgreSQL,
 * or SQLite on one machine):
 * - **budget slots:** `claimSlot` increments a counter doc with compare-and-set, so the study's
 *   budget of fresh trials is handed out exactly once across processes (retries of failed trials
 *   are enqueued and taken with the journal's own CAS, outside the budget);
 * - **heartbeats:** a worker rewrites one doc per running trial every `heartbeatMs`;
 * - **stale trials:** `reapStale` fails running trials whose heartbeat doc has not changed for
 *   `staleAfterMs` of this process's clock (versions are compared, not timestamps, so clock skew
 *   between machines does not matter) and, by policy, enqueues a retry with the same parameters.
 * A trial's result is recorded by the journal's CAS, so a trial is finished exactly once: a
 * worker that comes back after being declared dead gets FAILED_PRECONDITION on `tell`.
 */
import { systemClock, type Clock } from '../core/clock.js';
import { isMortarError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import type { Store } from '../core/store/types.js';
import type { ParamValue } from './distributions.js';
import type { Study } from './study.js';
import type { FrozenTrial } from './trial.js';

const SLOTS = 'tuning-slots';
const BEATS = 'tuning-heartbeats';

/** Options of {@link StoreCoordinator}. */
export interface CoordinatorOptions {
  /** A name for this worker, stored in heartbeats (e.g. `host:pid`). */
  readonly worker: string;
  /** A trial whose heartbeat has not changed for this long is stale (default 30 000). */
  readonly staleAfterMs?: number;
  /** Retries of a trial that failed by going stale (default 1; 0 = just fail it). */
  readonly maxRetries?: number;
  readonly clock?: Clock;
}

/** Budget slots, heartbeats and stale-trial recovery for one study over a Store. */
export class StoreCoordinator {
  private readonly seen = new Map<number, { version: number; since: number }>();
  private readonly staleAfterMs: number;
  private readonly maxRetries: number;
  private readonly clock: Clock;

  constructor(
    private readonly store: Store,
    private readonly study: Study,
    private readonly opts: CoordinatorOptions,
  ) {
    this.staleAfterMs = opts.staleAfterMs ?? 30_000;
    this.maxRetries = opts.maxRetries ?? 1;
    this.clock = opts.clock ?? systemClock;
  }

  /** Fresh trials claimed so far. */
  async claimed(): Promise<number> {
    const doc = await this.store.getDoc(SLOTS, this.study.name);
    return typeof doc?.value === 'number' ? doc.value : 0;
  }

  /** Takes one of `budget` slots; false when all are taken. Exactly-once across processes. */
  async claimSlot(budget: number): Promise<boolean> {
    for (;;) {
      const doc = await this.store.getDoc(SLOTS, this.study.name);
      const used = typeof doc?.value === 'number' ? doc.value : 0;
      if (used >= budget) return false;
      try {
        await this.store.putDoc(SLOTS, this.study.name, used + 1, {
          expectedVersion: doc?.version ?? 0,
        });
        return true;
      } catch (e) {
        if (!isMortarError(e, 'CONFLICT')) throw e;
      }
    }
  }

  /** Gives a slot back (a claimed slot that found a retry to run instead). */
  async releaseSlot(): Promise<void> {
    for (;;) {
      const doc = await this.store.getDoc(SLOTS, this.study.name);
      const used = typeof doc?.value === 'number' ? doc.value : 0;
      if (used <= 0) return;
      try {
        await this.store.putDoc(SLOTS, this.study.name, used - 1, {
          expectedVersion: doc?.version,
        });
        return;
      } catch (e) {
        if (!isMortarError(e, 'CONFLICT')) throw e;
      }
    }
  }

  /** Records that this worker is alive and running `trial`. */
  async beat(trial: number): Promise<void> {
    const value: JsonValue = { worker: this.opts.worker, at: this.clock.now() };
    await this.store.putDoc(BEATS, `${this.study.name}/${trial}`, value);
  }

  /** Forgets the heartbeat of a finished trial. */
  async clear(trial: number): Promise<void> {
    await this.store.deleteDoc(BEATS, `${this.study.name}/${trial}`);
  }

  /**
   * Fails running trials not owned by `own` whose heartbeat has not changed for `staleAfterMs`
   * (as observed by this process), and enqueues a retry for each unless it already used
   * `maxRetries`. Returns the trials it failed.
   */
  async reapStale(own: ReadonlySet<number> = new Set()): Promise<FrozenTrial[]> {
    const now = this.clock.now();
    const out: FrozenTrial[] = [];
    const running = await this.study.getTrials(['running']);
    const live = new Set(running.map((t) => t.number));
    for (const n of [...this.seen.keys()]) if (!live.has(n)) this.seen.delete(n);
    for (const t of running) {
      if (own.has(t.number)) continue;
      const doc = await this.store.getDoc(BEATS, `${this.study.name}/${t.number}`);
      const version = doc?.version ?? 0;
      const prev = this.seen.get(t.number);
      if (!prev || prev.version !== version) {
        this.seen.set(t.number, { version, since: now });
        continue;
      }
      if (now - prev.since < this.staleAfterMs) continue;
      const worker =
        doc?.value && typeof doc.value === 'object' && !Array.isArray(doc.value)
          ? String((doc.value as Record<string, JsonValue>)['worker'])
          : 'unknown';
      let failed: FrozenTrial;
      try {
        failed = await this.study.tell(t.number, {
          state: 'failed',
          reason: `stale: no heartbeat from worker ${worker} for ${Math.round((now - prev.since) / 1000)} s`,
        });
      } catch (e) {
        if (isMortarError(e, 'FAILED_PRECONDITION')) continue; // finished meanwhile
        throw e;
      }
      this.seen.delete(t.number);
      out.push(failed);
      await this.store.deleteDoc(BEATS, `${this.study.name}/${t.number}`);
      await this.retry(failed);
    }
    return out;
  }

  /** Enqueues `failed`'s parameters again unless its retries are used up; returns the new trial. */
  async retry(failed: FrozenTrial): Promise<FrozenTrial | undefined> {
    const k = typeof failed.userAttrs['retry'] === 'number' ? failed.userAttrs['retry'] : 0;
    if (k >= this.maxRetries) return undefined;
    const origin =
      typeof failed.userAttrs['retry_of'] === 'number'
        ? failed.userAttrs['retry_of']
        : failed.number;
    return this.study.enqueueTrial(failed.params as Record<string, ParamValue>, {
      userAttrs: { retry_of: origin, retry: k + 1 },
    });
  }
}
