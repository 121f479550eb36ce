import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRoute, z } from '@hono/zod-openapi';
import {
  FORMATS,
  RecordBatch,
  buildColumn,
  type DataType,
  type Field,
} from '../../core/data/index.js';
import { MortarError } from '../../core/errors.js';
import {
  Profile,
  parseProfile,
  parseSchema,
  profileBatch,
  profileFile,
  shouldFail,
  validate,
  type SchemaJson,
} from '../../validation/index.js';
import { errorResponses } from '../errors.js';
import type { RouteModule } from '../types.js';

const AnomalySchema = z
  .object({
    feature: z.string().openapi({ description: 'the feature, or "*" for the dataset' }),
    type: z.string().openapi({ example: 'ENUM_TYPE_UNEXPECTED_STRING_VALUES' }),
    severity: z.enum(['error', 'warning']),
    value: z.union([z.number(), z.string()]).nullable(),
    threshold: z.union([z.number(), z.string()]).nullable(),
    description: z.string(),
  })
  .openapi('Anomaly');

const ValidateBody = z
  .object({
    rows: z
      .array(z.record(z.string(), z.unknown()))
      .min(1)
      .optional()
      .openapi({ description: 'the batch as JSON rows (or give `file`)' }),
    file: z
      .object({
        format: z.enum(FORMATS),
        content: z.string().min(1).openapi({ description: 'the file, base64-encoded' }),
      })
      .optional()
      .openapi({ description: 'the batch as an uploaded file (CSV, Parquet, ...)' }),
    schema: z
      .unknown()
      .optional()
      .openapi({ description: 'a schema (as written by `mortar validate infer-schema`)' }),
    reference: z
      .unknown()
      .optional()
      .openapi({ description: 'a reference profile (as written by `mortar validate stats`)' }),
    environment: z.string().min(1).optional().openapi({ example: 'SERVING' }),
    mode: z.enum(['drift', 'skew']).optional(),
    failOn: z.enum(['error', 'warning', 'never']).default('error'),
  })
  .openapi('ValidateRequest');

const route = createRoute({
  method: 'post',
  path: '/v1/validate',
  tags: ['validation'],
  summary: 'Validate a batch against a schema and/or a reference profile; returns the anomalies',
  request: { body: { content: { 'application/json': { schema: ValidateBody } }, required: true } },
  responses: {
    200: {
      description: 'the anomalies (empty when the batch is clean)',
      content: {
        'application/json': {
          schema: z
            .object({ rows: z.number(), anomalies: z.array(AnomalySchema), failed: z.boolean() })
            .openapi('ValidateResponse'),
        },
      },
    },
    ...errorResponses(400, 401, 413),
  },
});

function typeOf(values: readonly unknown[], name: string): DataType {
  let t: DataType | undefined;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const vt: DataType =
      typeof v === 'number'
        ? Number.isInteger(v)
          ? 'int64'
          : 'float64'
        : typeof v === 'boolean'
          ? 'bool'
          : typeof v === 'string'
            ? 'string'
            : 'other';
    if (t === undefined || t === vt) t = vt;
    else if ((t === 'int64' && vt === 'float64') || (t === 'float64' && vt === 'int64'))
      t = 'float64';
    else {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `body.rows: column "${name}" mixes ${t} and ${vt} values`,
        { details: { field: `rows.${name}` } },
      );
    }
  }
  return t ?? 'string';
}

/** Builds a batch from JSON rows (column types from the values). */
export function rowsToBatch(rows: readonly Record<string, unknown>[]): RecordBatch {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const fields: Field[] = names.map((n) => ({
    name: n,
    type: typeOf(
      rows.map((r) => r[n]),
      n,
    ),
    nullable: true,
  }));
  const cols = fields.map((f) =>
    buildColumn(
      f,
      rows.map((r) => (r[f.name] ?? null) as never),
    ),
  );
  return new RecordBatch(fields, rows.length, cols);
}

/** Options for {@link validateRoutes}. */
export interface ValidateRoutesOptions {
  /** A default schema for requests that send none. */
  readonly schema?: SchemaJson;
  /** A default reference profile for requests that send none. */
  readonly reference?: Profile;
}

/**
 * `POST /v1/validate`: profiles the posted batch (JSON rows or a base64 file) and validates it
 * against the posted (or configured) schema and reference profile.
 */
export function validateRoutes(opts: ValidateRoutesOptions = {}): RouteModule {
  return {
    name: 'validate',
    register(app) {
      app.openapi(route, async (c) => {
        const body = c.req.valid('json');
        if ((body.rows === undefined) === (body.file === undefined)) {
          throw new MortarError('INVALID_ARGUMENT', 'body: give exactly one of "rows" and "file"', {
            details: { field: 'rows' },
          });
        }
        const schema =
          body.schema === undefined ? opts.schema : parseSchema(body.schema, 'body.schema');
        const reference =
          body.reference === undefined
            ? opts.reference
            : Profile.fromJSON(parseProfile(body.reference, 'body.reference'));
        if (!schema && !reference) {
          throw new MortarError(
            'INVALID_ARGUMENT',
            'body: give a "schema", a "reference" profile, or both',
            { details: { field: 'schema' } },
          );
        }
        let batch: Profile;
        if (body.rows) batch = profileBatch(rowsToBatch(body.rows));
        else {
          const file = body.file as { format: (typeof FORMATS)[number]; content: string };
          const dir = await mkdtemp(join(tmpdir(), 'mortar-validate-'));
          try {
            const path = join(dir, `batch.${file.format}`);
            await writeFile(path, Buffer.from(file.content, 'base64'));
            batch = await profileFile(path, { workers: 0, read: { format: file.format } });
          } finally {
            await rm(dir, { recursive: true, force: true });
          }
        }
        const anomalies = validate(batch, {
          ...(schema ? { schema } : {}),
          ...(reference ? { reference } : {}),
          ...(body.environment ? { environment: body.environment } : {}),
          ...(body.mode ? { mode: body.mode } : {}),
        });
        return c.json(
          { rows: batch.rows, anomalies, failed: shouldFail(anomalies, body.failOn) },
          200,
        );
      });
    },
  };
}
