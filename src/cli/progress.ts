import cliProgress from 'cli-progress';

/** A progress reporter for long CLI work. */
export interface Progress {
  /** Sets the number of units done so far. */
  update(done: number): void;
  /** Adds `n` units. */
  increment(n?: number): void;
  /** Stops drawing. */
  stop(): void;
}

const silent: Progress = { update() {}, increment() {}, stop() {} };

/**
 * A progress bar on stderr when it is a terminal; silent otherwise (CI, pipes, `--json`).
 * The bar appears only after `delayMs` so sub-second work stays quiet.
 */
export function createProgress(opts: {
  readonly label: string;
  readonly total: number;
  readonly enabled: boolean;
  readonly unit?: string;
  readonly delayMs?: number;
}): Progress {
  if (!opts.enabled) return silent;
  const bar = new cliProgress.SingleBar(
    {
      format: `${opts.label} [{bar}] {percentage}% | {value}/{total} ${opts.unit ?? ''} | {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let done = 0;
  const t0 = Date.now();
  const delay = opts.delayMs ?? 1000;
  const maybeStart = () => {
    if (!started && Date.now() - t0 >= delay) {
      started = true;
      bar.start(opts.total, done);
    }
  };
  return {
    update(d) {
      done = d;
      maybeStart();
      if (started) bar.update(d);
    },
    increment(n = 1) {
      done += n;
      maybeStart();
      if (started) bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
