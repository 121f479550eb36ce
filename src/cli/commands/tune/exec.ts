/**
 * Runs one trial of a black-box command: `{param}` placeholders in argv are replaced by the
 * trial's values, `MORTAR_PARAMS` holds them as JSON, and the metrics are the last line of stdout
 * that parses as JSON. The argv is spawned directly (never through a shell). A timeout or an abort
 * sends SIGTERM, then SIGKILL after a grace period.
 */
import { spawn } from 'node:child_process';
import type { ParamValue } from '../../../tuning/index.js';

/** How a command run ended. */
export type ExecOutcome =
  | { readonly ok: true; readonly metrics: Readonly<Record<string, unknown>> | number }
  | { readonly ok: false; readonly reason: string };

/** Options of {@link runCommand}. */
export interface ExecOptions {
  readonly argv: readonly string[];
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Extra environment (e.g. MORTAR_TRIAL). */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** Called with the child's pid once spawned. */
  readonly onSpawn?: (pid: number) => void;
}

const PLACEHOLDER = /\{([A-Za-z_][\w.-]*)\}/g;
const KILL_GRACE_MS = 2000;
const TAIL = 2000;

/** Replaces `{name}` by the value of param `name` (inactive conditional params become ''). */
export function substitute(
  argv: readonly string[],
  params: Readonly<Record<string, ParamValue>>,
  known: ReadonlySet<string>,
): string[] {
  return argv.map((a) =>
    a.replace(PLACEHOLDER, (whole, name: string) => {
      if (Object.hasOwn(params, name)) return String(params[name]);
      return known.has(name) ? '' : whole;
    }),
  );
}

/** The last line of `stdout` that parses as a JSON object or number, or undefined. */
export function lastJsonLine(stdout: string): Record<string, unknown> | number | undefined {
  const lines = stdout.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = (lines[i] as string).trim();
    if (l === '' || !(l.startsWith('{') || /^-?\d/.test(l))) continue;
    try {
      const v = JSON.parse(l) as unknown;
      if (typeof v === 'number') return v;
      if (v !== null && typeof v === 'object' && !Array.isArray(v))
        return v as Record<string, unknown>;
    } catch {
      // not JSON: keep looking
    }
  }
  return undefined;
}

function tail(s: string): string {
  const t = s.trimEnd();
  return t.length > TAIL ? `...${t.slice(-TAIL)}` : t;
}

/** Runs the command for one trial. Never throws for a failing command; rejects only on spawn bugs. */
export function runCommand(opts: ExecOptions): Promise<ExecOutcome> {
  const [file, ...args] = opts.argv;
  return new Promise((resolvePromise) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let aborted = false;
    let settled = false;
    const child = spawn(file as string, args, {
      cwd: opts.cwd,
      env: {
        ...opts.env,
        ...opts.extraEnv,
        MORTAR_PARAMS: JSON.stringify(opts.params),
      } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
    });
    const finish = (o: ExecOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolvePromise(o);
    };
    let killer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      child.kill('SIGTERM');
      killer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      killer.unref();
    };
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            stop();
          }, opts.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort);
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.length > 1 << 20) stdout = stdout.slice(-(1 << 19));
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.length > 1 << 16) stderr = stderr.slice(-(1 << 15));
    });
    child.on('error', (e) =>
      finish({
        ok: false,
        reason: `cannot run ${JSON.stringify(file)}: ${e.message}; give the program as the first word after --`,
      }),
    );
    child.on('close', (code, signal) => {
      const err = tail(stderr);
      const withErr = (s: string): string => (err ? `${s}; stderr tail:\n${err}` : s);
      if (aborted) return finish({ ok: false, reason: withErr('interrupted (SIGINT)') });
      if (timedOut)
        return finish({
          ok: false,
          reason: withErr(`timed out after ${(opts.timeoutMs as number) / 1000} s`),
        });
      if (code !== 0)
        return finish({
          ok: false,
          reason: withErr(signal ? `killed by ${signal}` : `exited with code ${code}`),
        });
      const metrics = lastJsonLine(stdout);
      if (metrics === undefined) {
        return finish({
          ok: false,
          reason: withErr(
            'the command printed no JSON line; print the metrics as the last line of stdout, e.g. {"value": 0.93}',
          ),
        });
      }
      finish({ ok: true, metrics });
    });
  });
}
