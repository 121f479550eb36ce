import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { readBatches, type ReadOptions } from '../../core/data/index.js';
import { MortarError, type ErrorCode } from '../../core/errors.js';
import { Profile, type ProfileOptions } from './profile.js';
import type { ProfileJson } from './types.js';
import { toWire } from './transfer.js';

/** Options of {@link profileFile}. */
export interface ProfileFileOptions extends ProfileOptions {
  /** How the file is read (format, columns, CSV dialect, ...). */
  readonly read?: ReadOptions;
  /**
   * Worker threads that compute statistics on shards of batches, merged at the end (default, for
   * files of 8 MiB and more: one per core but one — the calling thread keeps a core to decode
   * batches, DuckDB parses on its own threads — at least 1, at most 4; smaller files: 0 = profile
   * on the calling thread). Slicing by a function forces 0.
   */
  readonly workers?: number;
  /** Called after each batch with the rows read so far. */
  readonly onRows?: (rows: number) => void;
}

let sourceBundle: string | undefined;

/**
 * From TypeScript sources (tests, tsx): the worker entry bundled to one CommonJS script with the
 * esbuild that tsx ships (tens of milliseconds, once per process), so a worker starts without
 * loading tsx's module hooks (a few hundred milliseconds of CPU per worker); undefined when
 * esbuild cannot be found.
 */
function bundledEntry(here: string): string | undefined {
  if (sourceBundle !== undefined) return sourceBundle;
  try {
    const req = createRequire(createRequire(here).resolve('tsx'));
    const esbuild = req('esbuild') as {
      buildSync(o: Record<string, unknown>): { outputFiles: { text: string }[] };
    };
    const out = esbuild.buildSync({
      entryPoints: [fileURLToPath(new URL('./worker.ts', here))],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    sourceBundle = out.outputFiles[0]?.text;
  } catch {
    sourceBundle = undefined;
  }
  return sourceBundle;
}

function newWorker(): Worker {
  const here = import.meta.url;
  const js = new URL('./worker.js', here);
  if (!here.endsWith('.ts') && existsSync(fileURLToPath(js))) return new Worker(js);
  const bundle = bundledEntry(here);
  if (bundle !== undefined) return new Worker(bundle, { eval: true });
  // Fallback: register tsx inside the worker, then import the entry.
  const api = createRequire(here)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const entry = new URL('./worker.ts', here).href;
  const code =
    `import(${JSON.stringify(pathToFileURL(api).href)})` +
    `.then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true });
}

interface Shard {
  readonly worker: Worker;
  inFlight: number;
  wake: (() => void) | undefined;
  error: MortarError | undefined;
  result: Promise<ProfileJson>;
}

const MAX_IN_FLIGHT = 2;

function startShard(options: ProfileOptions): Shard {
  const worker = newWorker();
  let resolveResult!: (p: ProfileJson) => void;
  let rejectResult!: (e: unknown) => void;
  const shard: Shard = {
    worker,
    inFlight: 0,
    wake: undefined,
    error: undefined,
    result: new Promise<ProfileJson>((res, rej) => {
      resolveResult = res;
      rejectResult = rej;
    }),
  };
  shard.result.catch(() => undefined);
  const fail = (e: MortarError) => {
    shard.error ??= e;
    rejectResult(e);
    shard.wake?.();
  };
  worker.on(
    'message',
    (m: {
      t: string;
      profile?: ProfileJson;
      message?: string;
      code?: string;
      details?: unknown;
    }) => {
      if (m.t === 'ack') {
        shard.inFlight--;
        const w = shard.wake;
        shard.wake = undefined;
        w?.();
      } else if (m.t === 'profile') resolveResult(m.profile as ProfileJson);
      else if (m.t === 'error') {
        fail(
          new MortarError(
            (m.code as ErrorCode | undefined) ?? 'INTERNAL',
            m.message ?? 'worker failed',
            {
              details: (m.details as Record<string, unknown> | undefined) ?? {},
            },
          ),
        );
      }
    },
  );
  worker.on('error', (e) =>
    fail(new MortarError('INTERNAL', `profile worker failed: ${e.message}`, { cause: e })),
  );
  worker.on('exit', (code) => {
    if (code !== 0) fail(new MortarError('INTERNAL', `profile worker exited with code ${code}`));
  });
  worker.postMessage({ t: 'init', options });
  return shard;
}

/**
 * Profiles a data file in one streaming pass with bounded memory. The calling thread decodes
 * batches (DuckDB parses with its own threads) and hands each to the least-busy of `workers`
 * worker threads (zero-copy transfer of the typed arrays; workers load only the profiler, not
 * the data layer); each worker profiles its shard and the shard profiles are merged at the end —
 * so decoding and statistics run on different cores, and the result equals a single-threaded
 * profile within the sketches' errors (exactly, for counts and moments).
 *
 * @throws the data reader's MortarErrors (NOT_FOUND, DATA_INVALID naming the file, ...).
 */
export async function profileFile(
  path: string,
  options: ProfileFileOptions = {},
): Promise<Profile> {
  const { read, workers: requested, onRows, ...profileOptions } = options;
  const usesFn = profileOptions.slices?.some((s) => !('column' in s)) ?? false;
  // Small files are faster on the calling thread than after starting workers.
  const big =
    requested === undefined
      ? ((await stat(path).catch(() => undefined))?.size ?? 0) >= 8 << 20
      : true;
  const workers =
    usesFn || !big
      ? 0
      : Math.max(0, Math.floor(requested ?? Math.max(1, Math.min(4, availableParallelism() - 1))));
  let rows = 0;
  if (workers === 0) {
    const p = new Profile(profileOptions);
    for await (const b of readBatches(path, read)) {
      p.add(b);
      rows += b.numRows;
      onRows?.(rows);
    }
    return p;
  }
  const shards = Array.from({ length: workers }, () => startShard(profileOptions));
  try {
    for await (const b of readBatches(path, read)) {
      let shard = pick(shards);
      while (shard.inFlight >= MAX_IN_FLIGHT && !shard.error) {
        await new Promise<void>((res) => (shard.wake = res));
        shard = pick(shards);
      }
      const failed = shards.find((s) => s.error);
      if (failed) throw failed.error;
      rows += b.numRows;
      const { msg, transfer } = toWire(b);
      shard.inFlight++;
      shard.worker.postMessage({ t: 'batch', batch: msg }, transfer);
      onRows?.(rows);
    }
    for (const s of shards) s.worker.postMessage({ t: 'end' });
    const parts = await Promise.all(shards.map((s) => s.result));
    const out = new Profile(profileOptions);
    for (const part of parts) out.merge(Profile.fromJSON(part, profileOptions));
    // Shards that saw no batch know no features; fix presence counts from the row total.
    return out;
  } finally {
    await Promise.all(shards.map((s) => s.worker.terminate()));
  }
}

function pick(shards: readonly Shard[]): Shard {
  let best = shards[0] as Shard;
  for (const s of shards) if (s.inFlight < best.inFlight) best = s;
  return best;
}
