import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { MortarError } from '../../core/errors.js';
import { PROFILE_FORMAT, PROFILE_VERSION, type ProfileJson } from './types.js';

const num = z.number();
const nullableNum = z.number().nullable();
const Moments = z.object({ n: num, mean: num, m2: num });
const Frequent = <T extends z.ZodType<string | number>>(item: T) =>
  z.object({
    capacity: z.number().int().positive(),
    total: num,
    offset: num,
    items: z.array(z.tuple([item, num])),
  });
const Kll = z.object({
  k: z.number().int().min(8),
  n: num,
  min: nullableNum,
  max: nullableNum,
  levels: z.array(z.array(num)),
  seed: num,
  sampleVariance: num.optional(),
});
const Feature = z.object({
  name: z.string(),
  type: z.enum(['INT', 'FLOAT', 'STRING', 'BOOL', 'TIMESTAMP', 'LIST', 'OTHER']),
  sourceType: z.string().optional(),
  present: num,
  missing: num,
  weightPresent: num.optional(),
  numeric: z
    .object({
      moments: Moments,
      weighted: Moments.optional(),
      min: nullableNum,
      max: nullableNum,
      zeros: num,
      nan: num,
      inf: num,
      nonIntegral: num,
      quantiles: Kll,
      top: Frequent(z.number()),
      extremes: z.object({ low: z.array(num), high: z.array(num) }).optional(),
    })
    .optional(),
  string: z
    .object({
      distinct: z.object({ p: z.number().int().min(4).max(16), registers: z.string() }),
      top: Frequent(z.string()),
      lengths: Moments,
      minLength: nullableNum,
      maxLength: nullableNum,
    })
    .optional(),
  valency: z.object({ moments: Moments, min: nullableNum, max: nullableNum }).optional(),
});

const ProfileSchema: z.ZodType<ProfileJson> = z.lazy(() =>
  z.object({
    format: z.literal(PROFILE_FORMAT),
    version: z.literal(PROFILE_VERSION),
    rows: num,
    weight: num.optional(),
    weightColumn: z.string().optional(),
    features: z.array(Feature),
    duplicates: z
      .object({
        k: z.number().int().positive(),
        rows: num,
        threshold: num,
        items: z.array(z.tuple([num, num])),
      })
      .optional(),
    correlations: z
      .object({
        features: z.array(z.string()),
        pairs: z.array(z.object({ n: num, mx: num, my: num, cxx: num, cyy: num, cxy: num })),
      })
      .optional(),
    slices: z.record(z.string(), ProfileSchema).optional(),
  }),
) as z.ZodType<ProfileJson>;

/** True when `v` looks like a profile (has the profile format tag). */
export function isProfileJson(v: unknown): boolean {
  return (
    typeof v === 'object' && v !== null && (v as { format?: unknown }).format === PROFILE_FORMAT
  );
}

/**
 * Validates a parsed JSON value as a profile. `source` (a file name) is used in errors.
 * @throws DATA_INVALID naming the source and the field; for another format version, the field
 *   `version` with the version found and the one this Mortar reads.
 */
export function parseProfile(v: unknown, source = 'profile'): ProfileJson {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new MortarError('DATA_INVALID', `${source}: a profile must be a JSON object`, {
      details: { file: source },
    });
  }
  const o = v as Record<string, unknown>;
  if (o['format'] !== PROFILE_FORMAT) {
    throw new MortarError(
      'DATA_INVALID',
      `${source}: field "format" is ${JSON.stringify(o['format'])}, not "${PROFILE_FORMAT}"; create a profile with \`mortar validate stats DATA --out profile.json\``,
      { details: { file: source, field: 'format', got: o['format'] ?? null } },
    );
  }
  if (o['version'] !== PROFILE_VERSION) {
    throw new MortarError(
      'DATA_INVALID',
      `${source}: field "version" is ${JSON.stringify(o['version'])}, but this Mortar reads profile version ${PROFILE_VERSION}; re-create the profile with this version (\`mortar validate stats\`)`,
      {
        details: {
          file: source,
          field: 'version',
          got: o['version'] ?? null,
          expected: PROFILE_VERSION,
        },
      },
    );
  }
  const r = ProfileSchema.safeParse(v);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw new MortarError(
      'DATA_INVALID',
      `${source}: field "${field}": ${issue?.message ?? 'invalid'}`,
      {
        details: { file: source, field },
      },
    );
  }
  return r.data;
}

/** Reads and validates a profile JSON file. */
export async function readProfile(path: string): Promise<ProfileJson> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new MortarError('NOT_FOUND', `profile file not found or unreadable: ${path}`, {
      details: { file: path },
      cause: e,
    });
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new MortarError('DATA_INVALID', `${path}: not valid JSON (${(e as Error).message})`, {
      details: { file: path },
      cause: e,
    });
  }
  return parseProfile(v, path);
}
