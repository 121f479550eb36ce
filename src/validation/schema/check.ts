import { fmt, type Anomaly } from '../anomaly.js';
import type { FeatureStats } from '../profile/feature.js';
import type { Profile } from '../profile/profile.js';
import { binomialUpper } from '../sketches/math.js';
import type { FeatureSchema, SchemaJson } from './types.js';

/** Options of {@link checkSchema}. */
export interface SchemaCheckOptions {
  /** The environment the batch comes from (e.g. `SERVING`): features not in it are not expected. */
  readonly environment?: string;
  /** Family-wise false-alarm rate of the count-based checks (default 1e-3). */
  readonly alpha?: number;
}

function err(
  feature: string,
  type: string,
  value: Anomaly['value'],
  threshold: Anomaly['threshold'],
  description: string,
): Anomaly {
  return { feature, type, severity: 'error', value, threshold, description };
}

function typeOk(expected: FeatureSchema['type'], got: FeatureStats): boolean {
  if (expected === got.type) return true;
  // An INT column read as FLOAT is fine while its values are whole numbers.
  if (expected === 'INT' && got.type === 'FLOAT') return (got.numeric?.nonIntegral ?? 0) === 0;
  if (expected === 'FLOAT' && got.type === 'INT') return true;
  if (
    (expected === 'LIST' || expected === 'OTHER') &&
    (got.type === 'LIST' || got.type === 'OTHER')
  )
    return true;
  return false;
}

/**
 * Checks a batch's statistics against a schema; every anomaly has severity `error` and a TFDV
 * type name: SCHEMA_MISSING_COLUMN, SCHEMA_NEW_COLUMN, UNEXPECTED_DATA_TYPE,
 * FEATURE_TYPE_NOT_PRESENT, FEATURE_TYPE_LOW_FRACTION_PRESENT, FEATURE_TYPE_LOW_NUMBER_PRESENT,
 * ENUM_TYPE_UNEXPECTED_STRING_VALUES, INT_TYPE_SMALL_INT / INT_TYPE_BIG_INT /
 * FLOAT_TYPE_SMALL_FLOAT / FLOAT_TYPE_BIG_FLOAT, FLOAT_TYPE_HAS_NAN,
 * FEATURE_TYPE_LOW_NUMBER_VALUES / FEATURE_TYPE_HIGH_NUMBER_VALUES, DATASET_LOW_NUM_EXAMPLES.
 * Count-based checks (presence, unexpected values) allow for sampling noise with binomial
 * bounds at family-wise rate `alpha`.
 */
export function checkSchema(
  batch: Profile,
  schema: SchemaJson,
  opts: SchemaCheckOptions = {},
): Anomaly[] {
  const out: Anomaly[] = [];
  const env = opts.environment;
  const alpha = (opts.alpha ?? 1e-3) / Math.max(1, schema.features.length);
  const known = new Set(schema.features.map((f) => f.name));
  if (schema.dataset?.minRows !== undefined && batch.rows < schema.dataset.minRows) {
    out.push(
      err(
        '*',
        'DATASET_LOW_NUM_EXAMPLES',
        batch.rows,
        schema.dataset.minRows,
        `the batch has ${batch.rows} rows; the schema asks for at least ${schema.dataset.minRows}`,
      ),
    );
  }
  for (const name of batch.features.keys()) {
    if (!known.has(name)) {
      out.push(
        err(
          name,
          'SCHEMA_NEW_COLUMN',
          batch.features.get(name)?.type ?? null,
          null,
          `column "${name}" is not in the schema (add it to the schema if it is expected)`,
        ),
      );
    }
  }
  for (const fs of schema.features) {
    const excluded = env !== undefined && (fs.notInEnvironments ?? []).includes(env);
    const f = batch.features.get(fs.name);
    if (!f) {
      if (!excluded)
        out.push(
          err(
            fs.name,
            'SCHEMA_MISSING_COLUMN',
            null,
            null,
            `column "${fs.name}" is in the schema but not in the batch`,
          ),
        );
      continue;
    }
    if (excluded) continue;
    const rows = f.present + f.missing;
    if (!typeOk(fs.type, f)) {
      out.push(
        err(
          fs.name,
          'UNEXPECTED_DATA_TYPE',
          f.type,
          fs.type,
          `expected ${fs.type} values, found ${f.type}${f.type === 'FLOAT' && fs.type === 'INT' ? ` (${f.numeric?.nonIntegral ?? 0} non-integer values)` : ''}`,
        ),
      );
      continue;
    }
    if (fs.presence && rows > 0) {
      const minFraction = fs.presence.minFraction;
      if (f.present === 0 && minFraction > 0) {
        out.push(
          err(
            fs.name,
            'FEATURE_TYPE_NOT_PRESENT',
            0,
            minFraction,
            `"${fs.name}" is missing in every row`,
          ),
        );
      } else {
        const allowed = binomialUpper(rows, 1 - minFraction, alpha);
        if (f.missing > allowed) {
          out.push(
            err(
              fs.name,
              'FEATURE_TYPE_LOW_FRACTION_PRESENT',
              Number((f.present / rows).toFixed(4)),
              minFraction,
              `"${fs.name}" is present in ${fmt((100 * f.present) / rows)}% of rows; the schema expects at least ${fmt(100 * minFraction)}% (${f.missing} missing, at most ${Math.floor(allowed)} allowed by chance)`,
            ),
          );
        }
      }
      if (fs.presence.minCount !== undefined && f.present < fs.presence.minCount) {
        out.push(
          err(
            fs.name,
            'FEATURE_TYPE_LOW_NUMBER_PRESENT',
            f.present,
            fs.presence.minCount,
            `"${fs.name}" is present in ${f.present} rows; the schema expects at least ${fs.presence.minCount}`,
          ),
        );
      }
    }
    if (fs.domain && f.string) {
      const values = new Set(fs.domain.values);
      let unexpected = 0;
      const examples: [string, number][] = [];
      for (const [v, c] of f.string.top.counts) {
        if (!values.has(v)) {
          unexpected += c;
          examples.push([v, c]);
        }
      }
      const total = f.string.top.total;
      const allowed = binomialUpper(total, fs.domain.unseenRate, alpha);
      if (unexpected > allowed) {
        examples.sort((a, b) => b[1] - a[1]);
        const shown = examples
          .slice(0, 3)
          .map(([v, c]) => `"${v}" (${c})`)
          .join(', ');
        out.push(
          err(
            fs.name,
            'ENUM_TYPE_UNEXPECTED_STRING_VALUES',
            Number((unexpected / total).toFixed(4)),
            Number((allowed / total).toFixed(4)),
            `${unexpected} of ${total} values are outside the domain (allowance ${Math.floor(allowed)} for the long tail): ${shown}${examples.length > 3 ? ', ...' : ''}`,
          ),
        );
      }
    }
    const num = f.numeric;
    if (
      fs.range &&
      num &&
      num.moments.n > 0 &&
      (num.min < fs.range.min || num.max > fs.range.max)
    ) {
      const int = fs.type === 'INT';
      const outside = num.countOutside(fs.range.min, fs.range.max);
      const allowed = binomialUpper(num.moments.n, fs.range.outlierRate ?? 0, alpha);
      if (outside > allowed) {
        const low = num.min < fs.range.min;
        const range = `[${fmt(fs.range.min)}, ${fmt(fs.range.max)}]`;
        out.push(
          err(
            fs.name,
            low
              ? int
                ? 'INT_TYPE_SMALL_INT'
                : 'FLOAT_TYPE_SMALL_FLOAT'
              : int
                ? 'INT_TYPE_BIG_INT'
                : 'FLOAT_TYPE_BIG_FLOAT',
            low ? num.min : num.max,
            low ? fs.range.min : fs.range.max,
            `${outside} value${outside === 1 ? '' : 's'} outside the range ${range} (${low ? `smallest ${fmt(num.min)}` : `largest ${fmt(num.max)}`}; at most ${Math.floor(allowed)} rare outliers allowed by chance)`,
          ),
        );
      }
    }
    if (num && fs.allowNaN === false && num.nan + num.inf > 0) {
      out.push(
        err(
          fs.name,
          num.nan > 0 ? 'FLOAT_TYPE_HAS_NAN' : 'FLOAT_TYPE_HAS_INF',
          num.nan + num.inf,
          0,
          `${num.nan} NaN and ${num.inf} infinite values`,
        ),
      );
    }
    if (fs.valency && f.valency && f.valency.moments.n > 0) {
      if (f.valency.min < fs.valency.min) {
        out.push(
          err(
            fs.name,
            'FEATURE_TYPE_LOW_NUMBER_VALUES',
            f.valency.min,
            fs.valency.min,
            `a row has ${f.valency.min} values; the schema expects at least ${fs.valency.min}`,
          ),
        );
      }
      if (f.valency.max > fs.valency.max) {
        out.push(
          err(
            fs.name,
            'FEATURE_TYPE_HIGH_NUMBER_VALUES',
            f.valency.max,
            fs.valency.max,
            `a row has ${f.valency.max} values; the schema expects at most ${fs.valency.max}`,
          ),
        );
      }
    }
  }
  return out;
}
