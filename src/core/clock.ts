/**
 * Time as an injected side effect. Decision logic takes a `Clock` so tests can drive it step by
 * step with {@link ManualClock}; runners use {@link systemClock}.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch (wall time, for timestamps). */
  now(): number;
  /** A monotonic reading in milliseconds (for durations); never goes backwards. */
  monotonic(): number;
}

/** The real clock: `Date.now()` and `performance.now()`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};

/**
 * A clock that moves only when told to.
 * @example const c = new ManualClock(0); c.advance(50); c.now() === 50
 */
export class ManualClock implements Clock {
  private t: number;
  constructor(start = 0) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  monotonic(): number {
    return this.t;
  }
  /** Moves time forward by `ms` (must be >= 0). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ms must be >= 0, got ${ms}`);
    this.t += ms;
  }
  /** Sets the time to `t` (must not go backwards). */
  set(t: number): void {
    if (t < this.t)
      throw new RangeError(`ManualClock.set: time may not go backwards (${t} < ${this.t})`);
    this.t = t;
  }
}
