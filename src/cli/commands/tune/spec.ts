/**
 * The black-box study spec that `mortar tune run` stores beside the study (doc
 * `tuning-specs/<study>`), so `mortar tune worker --study NAME` on any machine knows the space,
 * the objectives and the command to run.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { MortarError } from '../../../core/errors.js';
import type { JsonValue } from '../../../core/json.js';
import type { Store } from '../../../core/store/index.js';
import {
  parseConstraint,
  parseSpace,
  parseSpaceText,
  type SearchSpace,
} from '../../../tuning/index.js';

/** Where specs live in the store. */
export const SPEC_COLLECTION = 'tuning-specs';

/** A black-box study: what to run and how to read its result. */
export const TuneSpecSchema = z.object({
  space: z.array(z.record(z.string(), z.unknown())),
  objectives: z
    .array(z.object({ name: z.string().min(1), direction: z.enum(['minimize', 'maximize']) }))
    .min(1),
  constraints: z.array(z.string()),
  command: z.array(z.string()).min(1),
  trials: z.number().int().min(1),
  sampler: z.string().min(1),
  seed: z.number().int(),
  timeoutMs: z.number().int().positive().optional(),
  heartbeatMs: z.number().int().positive(),
  staleAfterMs: z.number().int().positive(),
  maxRetries: z.number().int().min(0),
  cwd: z.string().optional(),
});
/** A parsed spec. */
export type TuneSpec = z.infer<typeof TuneSpecSchema>;

/** Parses `NAME:min|max` (also `minimize`/`maximize`). */
export function parseObjective(raw: string): TuneSpec['objectives'][number] {
  const m = /^([A-Za-z_][\w.-]*):(min|max|minimize|maximize)$/.exec(raw.trim());
  if (!m) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `--objective "${raw}": write NAME:min or NAME:max, e.g. --objective accuracy:max`,
      { details: { flag: '--objective', got: raw } },
    );
  }
  return {
    name: m[1] as string,
    direction: (m[2] as string).startsWith('min') ? 'minimize' : 'maximize',
  };
}

/** Reads and validates a space file (JSON or YAML list of parameters). */
export function readSpaceFile(cwd: string, file: string): { raw: unknown[]; space: SearchSpace } {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new MortarError(
      'NOT_FOUND',
      `--space ${path}: cannot read it (${(e as Error).message})`,
      {
        details: { file: path },
        cause: e,
      },
    );
  }
  try {
    const space = parseSpaceText(text);
    return { raw: space.specs as unknown as unknown[], space };
  } catch (e) {
    if (e instanceof MortarError)
      throw new MortarError(e.code, `--space ${path}: ${e.message}`, {
        details: { file: path, ...e.details },
        cause: e,
      });
    throw e;
  }
}

/** The space of a stored spec. */
export function specSpace(spec: TuneSpec): SearchSpace {
  return parseSpace(spec.space);
}

/** Checks constraint strings early so a typo fails before anything runs. */
export function checkConstraints(constraints: readonly string[]): void {
  for (const c of constraints) parseConstraint(c);
}

/** The stored spec of `study`, or undefined. */
export async function loadSpec(store: Store, study: string): Promise<TuneSpec | undefined> {
  const doc = await store.getDoc(SPEC_COLLECTION, study);
  if (!doc) return undefined;
  const r = TuneSpecSchema.safeParse(doc.value);
  if (!r.success) {
    throw new MortarError(
      'DATA_INVALID',
      `the stored spec of study "${study}" is invalid (${r.error.issues[0]?.message}); recreate the study`,
    );
  }
  return r.data;
}

/** The stored spec of `study`; NOT_FOUND naming the fix when absent. */
export async function requireSpec(store: Store, study: string): Promise<TuneSpec> {
  const spec = await loadSpec(store, study);
  if (!spec) {
    throw new MortarError(
      'NOT_FOUND',
      `study "${study}" has no black-box spec in this store; start it with \`mortar tune run --study ${study} ...\``,
      { details: { study } },
    );
  }
  return spec;
}

/** Stores `spec` (creating or replacing it). */
export async function saveSpec(store: Store, study: string, spec: TuneSpec): Promise<void> {
  await store.putDoc(SPEC_COLLECTION, study, spec as unknown as JsonValue);
}
