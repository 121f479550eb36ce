import { readFile, writeFile } from 'node:fs/promises';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { z } from 'zod';
import { MortarError } from '../../core/errors.js';
import { SCHEMA_FORMAT, SCHEMA_VERSION, type SchemaJson } from './types.js';

const FeatureZ = z
  .object({
    name: z.string().min(1),
    type: z.enum(['INT', 'FLOAT', 'STRING', 'BOOL', 'TIMESTAMP', 'LIST', 'OTHER']),
    presence: z
      .object({
        minFraction: z.number().min(0).max(1),
        minCount: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
    valency: z
      .object({ min: z.number().int().min(0), max: z.number().int().min(0) })
      .strict()
      .optional(),
    domain: z
      .object({ values: z.array(z.string()), unseenRate: z.number().min(0).max(1) })
      .strict()
      .optional(),
    range: z
      .object({
        min: z.number(),
        max: z.number(),
        outlierRate: z.number().min(0).max(1).optional(),
      })
      .strict()
      .optional(),
    allowNaN: z.boolean().optional(),
    notInEnvironments: z.array(z.string()).optional(),
  })
  .strict();

const SchemaZ = z
  .object({
    format: z.literal(SCHEMA_FORMAT),
    version: z.literal(SCHEMA_VERSION),
    environments: z.array(z.string().min(1)).default(['TRAINING', 'SERVING']),
    dataset: z
      .object({ minRows: z.number().int().min(0).optional() })
      .strict()
      .optional(),
    features: z.array(FeatureZ),
  })
  .strict();

/**
 * Validates a parsed JSON/YAML value as a schema; `source` (a file name) is used in errors.
 * @throws DATA_INVALID naming the source and the field: unknown keys, wrong types, another
 *   version, duplicate features, environments not declared, a domain on a non-string feature.
 */
export function parseSchema(v: unknown, source = 'schema'): SchemaJson {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  if (o['format'] !== undefined && o['format'] !== SCHEMA_FORMAT) {
    throw new MortarError(
      'DATA_INVALID',
      `${source}: field "format" is ${JSON.stringify(o['format'])}, not "${SCHEMA_FORMAT}"`,
      {
        details: { file: source, field: 'format' },
      },
    );
  }
  if (o['version'] !== undefined && o['version'] !== SCHEMA_VERSION) {
    throw new MortarError(
      'DATA_INVALID',
      `${source}: field "version" is ${JSON.stringify(o['version'])}, but this Mortar reads schema version ${SCHEMA_VERSION}; re-infer it with \`mortar validate infer-schema\``,
      {
        details: {
          file: source,
          field: 'version',
          got: o['version'] as never,
          expected: SCHEMA_VERSION,
        },
      },
    );
  }
  const r = SchemaZ.safeParse(v);
  if (!r.success) {
    const issue = r.error.issues[0];
    let field = issue?.path.map(String).join('.') ?? '';
    const keys = (issue as { keys?: string[] } | undefined)?.keys;
    if (keys?.length) field = [field, keys[0]].filter(Boolean).join('.');
    const featureIdx = issue?.path[0] === 'features' ? Number(issue.path[1]) : NaN;
    const featureName = Number.isInteger(featureIdx)
      ? (((o['features'] as unknown[] | undefined)?.[featureIdx] as { name?: unknown } | undefined)
          ?.name ?? undefined)
      : undefined;
    throw new MortarError(
      'DATA_INVALID',
      `${source}: field "${field}"${featureName === undefined ? '' : ` (feature "${String(featureName)}")`}: ${issue?.message ?? 'invalid'}`,
      { details: { file: source, field } },
    );
  }
  const schema = r.data as SchemaJson;
  const seen = new Set<string>();
  schema.features.forEach((f, i) => {
    if (seen.has(f.name)) {
      throw new MortarError(
        'DATA_INVALID',
        `${source}: field "features.${i}.name": feature "${f.name}" is listed twice`,
        {
          details: { file: source, field: `features.${i}.name`, feature: f.name },
        },
      );
    }
    seen.add(f.name);
    for (const env of f.notInEnvironments ?? []) {
      if (!schema.environments.includes(env)) {
        throw new MortarError(
          'DATA_INVALID',
          `${source}: field "features.${i}.notInEnvironments" (feature "${f.name}") names environment "${env}", which is not declared; environments are: ${schema.environments.join(', ')}`,
          { details: { file: source, field: `features.${i}.notInEnvironments`, feature: f.name } },
        );
      }
    }
    if (f.domain && f.type !== 'STRING' && f.type !== 'BOOL') {
      throw new MortarError(
        'DATA_INVALID',
        `${source}: field "features.${i}.domain" (feature "${f.name}"): a domain needs type STRING or BOOL, not ${f.type}`,
        {
          details: { file: source, field: `features.${i}.domain`, feature: f.name },
        },
      );
    }
    if (f.range && f.range.min > f.range.max) {
      throw new MortarError(
        'DATA_INVALID',
        `${source}: field "features.${i}.range" (feature "${f.name}"): min ${f.range.min} > max ${f.range.max}`,
        {
          details: { file: source, field: `features.${i}.range`, feature: f.name },
        },
      );
    }
  });
  return schema;
}

/**
 * Checks that every feature named by the caller (a label, `--features`) exists in the schema.
 * @throws INVALID_ARGUMENT naming the unknown feature and the known ones.
 */
export function requireFeatures(
  schema: SchemaJson,
  names: readonly string[],
  source = 'schema',
): void {
  const known = new Set(schema.features.map((f) => f.name));
  for (const n of names) {
    if (!known.has(n)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `${source} has no feature "${n}"; features are: ${[...known].join(', ')}`,
        {
          details: { file: source, feature: n },
        },
      );
    }
  }
}

/** Reads a schema from a `.json`, `.yaml` or `.yml` file. */
export async function readSchemaFile(path: string): Promise<SchemaJson> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new MortarError('NOT_FOUND', `schema file not found or unreadable: ${path}`, {
      details: { file: path },
      cause: e,
    });
  }
  let v: unknown;
  try {
    v = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new MortarError(
      'DATA_INVALID',
      `${path}: cannot parse (${(e as Error).message.split('\n')[0]}); fix the syntax or re-infer it`,
      {
        details: { file: path },
        cause: e,
      },
    );
  }
  return parseSchema(v, path);
}

/** Writes a schema as JSON, or YAML when the file name ends in `.yaml`/`.yml`. */
export async function writeSchemaFile(path: string, schema: SchemaJson): Promise<void> {
  const text = /\.ya?ml$/i.test(path) ? toYaml(schema) : `${JSON.stringify(schema, null, 2)}\n`;
  await writeFile(path, text);
}
