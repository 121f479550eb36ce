import { z } from 'zod';
import { MortarError } from '../core/errors.js';
import { checkLfNames, labelingFunction } from './lf.js';
import { ABSTAIN, type Label, type LabelingFunction } from './types.js';

/** A data point as declarative LFs see it: a row keyed by column name. */
export type Record_ = Readonly<Record<string, unknown>>;

const labelRef = z.union([z.number().int().min(0), z.string().min(1)]);
const base = { name: z.string().min(1), field: z.string().min(1) };

/** The JSON form of one declarative LF (validated with zod). */
export const DeclarativeLfSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('keyword'),
    keywords: z.array(z.string().min(1)).min(1),
    label: labelRef,
    caseSensitive: z.boolean().default(false),
    /** Match whole words only (default true). */
    wholeWord: z.boolean().default(true),
  }),
  z.object({
    ...base,
    type: z.literal('regex'),
    pattern: z.string().min(1),
    flags: z
      .string()
      .regex(/^[imsu]*$/)
      .default(''),
    label: labelRef,
  }),
  z.object({
    ...base,
    type: z.literal('threshold'),
    op: z.enum(['>', '>=', '<', '<=']),
    value: z.number(),
    label: labelRef,
  }),
  z.object({
    ...base,
    type: z.literal('lookup'),
    /** Field value (as a string) -> label. */
    table: z.record(z.string(), labelRef),
    caseSensitive: z.boolean().default(true),
  }),
  z.object({
    ...base,
    type: z.literal('model'),
    /**
     * `score`: the field holds another model's probability of `positive`; votes `positive` at or
     * above `threshold + margin`, `negative` at or below `threshold - margin`, else abstains.
     * `class`: the field holds the model's predicted class; votes it when `confidenceField` is
     * absent or at least `minConfidence`.
     */
    mode: z.enum(['score', 'class']).default('score'),
    threshold: z.number().default(0.5),
    margin: z.number().min(0).default(0),
    positive: labelRef.optional(),
    negative: labelRef.optional(),
    confidenceField: z.string().optional(),
    minConfidence: z.number().default(0),
  }),
]);

/** The JSON form of a set of declarative LFs. */
export const DeclarativeLfFileSchema = z.object({
  /** Number of classes (optional; label names imply it). */
  cardinality: z.number().int().min(2).optional(),
  /** Class names -> ids, so LFs may say `"label": "spam"`. */
  labels: z.record(z.string(), z.number().int().min(0)).optional(),
  lfs: z.array(DeclarativeLfSchema).min(1),
});

/** A parsed declarative LF file. */
export type DeclarativeLfFile = z.infer<typeof DeclarativeLfFileSchema>;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Builds LFs over rows from a JSON spec, so people who don't write TypeScript can add LFs.
 * `source` names the file in errors.
 *
 * @example
 * const { lfs } = lfsFromJson({ labels: { ham: 0, spam: 1 }, lfs: [
 *   { name: 'kw_money', type: 'keyword', field: 'text', keywords: ['cash', 'money back'], label: 'spam' },
 *   { name: 're_unsub', type: 'regex', field: 'text', pattern: 'unsubscribe', flags: 'i', label: 'spam' },
 *   { name: 'short', type: 'threshold', field: 'length', op: '<', value: 200, label: 'ham' },
 * ] });
 * @throws INVALID_CONFIG naming the file, the LF and the field at fault.
 */
export function lfsFromJson(
  spec: unknown,
  source = 'LF spec',
): { lfs: LabelingFunction<Record_>[]; cardinality?: number; classNames?: string[] } {
  const parsed = DeclarativeLfFileSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const idx =
      issue.path[0] === 'lfs' && typeof issue.path[1] === 'number' ? issue.path[1] : undefined;
    const nm =
      idx !== undefined ? (spec as { lfs?: { name?: unknown }[] }).lfs?.[idx]?.name : undefined;
    throw new MortarError(
      'INVALID_CONFIG',
      `${source}: ${idx !== undefined ? `LF #${idx}${typeof nm === 'string' ? ` "${nm}"` : ''}, ` : ''}${issue.path.slice(idx !== undefined ? 2 : 0).join('.') || '(root)'}: ${issue.message}`,
      {
        details: {
          file: source,
          path: issue.path.map(String),
          lf: typeof nm === 'string' ? nm : null,
        },
      },
    );
  }
  const file = parsed.data;
  const names = file.labels;
  const cardinality =
    file.cardinality ?? (names ? Math.max(...Object.values(names)) + 1 : undefined);
  const resolveLabel = (lf: string, ref: number | string | undefined): Label => {
    if (ref === undefined) return ABSTAIN;
    if (typeof ref === 'number') {
      if (cardinality !== undefined && ref >= cardinality) {
        throw new MortarError(
          'INVALID_CONFIG',
          `${source}: LF "${lf}": label ${ref} is outside the label set 0..${cardinality - 1}`,
          {
            details: { file: source, lf },
          },
        );
      }
      return ref;
    }
    const id = names?.[ref];
    if (id === undefined) {
      throw new MortarError(
        'INVALID_CONFIG',
        `${source}: LF "${lf}": unknown label "${ref}"; declare it in "labels" (known: ${Object.keys(names ?? {}).join(', ') || 'none'})`,
        {
          details: { file: source, lf, label: ref },
        },
      );
    }
    return id;
  };
  checkLfNames(file.lfs);
  const lfs = file.lfs.map((d): LabelingFunction<Record_> => {
    const f = d.field;
    switch (d.type) {
      case 'keyword': {
        const label = resolveLabel(d.name, d.label);
        const alt = d.keywords.map(escapeRe).join('|');
        const re = new RegExp(
          d.wholeWord ? `(?:^|[^\\p{L}\\p{N}_])(?:${alt})(?![\\p{L}\\p{N}_])` : alt,
          d.caseSensitive ? 'u' : 'iu',
        );
        return labelingFunction(
          { name: d.name, resources: { keywords: d.keywords } },
          (x: Record_) => {
            const v = x[f];
            return typeof v === 'string' && re.test(v) ? label : ABSTAIN;
          },
        );
      }
      case 'regex': {
        const label = resolveLabel(d.name, d.label);
        let re: RegExp;
        try {
          re = new RegExp(d.pattern, d.flags);
        } catch (e) {
          throw new MortarError(
            'INVALID_CONFIG',
            `${source}: LF "${d.name}": bad regex ${JSON.stringify(d.pattern)}: ${(e as Error).message}`,
            {
              details: { file: source, lf: d.name },
            },
          );
        }
        return labelingFunction(
          { name: d.name, resources: { pattern: d.pattern } },
          (x: Record_) => {
            const v = x[f];
            return typeof v === 'string' && re.test(v) ? label : ABSTAIN;
          },
        );
      }
      case 'threshold': {
        const label = resolveLabel(d.name, d.label);
        const t = d.value;
        const test = {
          '>': (v: number) => v > t,
          '>=': (v: number) => v >= t,
          '<': (v: number) => v < t,
          '<=': (v: number) => v <= t,
        }[d.op];
        return labelingFunction({ name: d.name }, (x: Record_) => {
          const v = toNumber(x[f]);
          return v !== undefined && test(v) ? label : ABSTAIN;
        });
      }
      case 'lookup': {
        const table = new Map<string, Label>();
        for (const [k, v] of Object.entries(d.table))
          table.set(d.caseSensitive ? k : k.toLowerCase(), resolveLabel(d.name, v));
        return labelingFunction({ name: d.name, resources: { table: d.table } }, (x: Record_) => {
          const v = x[f];
          if (v === null || v === undefined) return ABSTAIN;
          const s = String(v);
          return table.get(d.caseSensitive ? s : s.toLowerCase()) ?? ABSTAIN;
        });
      }
      case 'model': {
        if (d.mode === 'score') {
          const pos = resolveLabel(d.name, d.positive ?? 1);
          const neg = resolveLabel(d.name, d.negative ?? (pos === 1 ? 0 : undefined));
          const hi = d.threshold + d.margin;
          const lo = d.threshold - d.margin;
          return labelingFunction({ name: d.name }, (x: Record_) => {
            const v = toNumber(x[f]);
            if (v === undefined) return ABSTAIN;
            if (v >= hi) return pos;
            if (v <= lo) return neg;
            return ABSTAIN;
          });
        }
        const cf = d.confidenceField;
        const min = d.minConfidence;
        return labelingFunction({ name: d.name }, (x: Record_) => {
          const v = toNumber(x[f]);
          if (v === undefined || !Number.isInteger(v) || v < 0) return ABSTAIN;
          if (cf !== undefined) {
            const c = toNumber(x[cf]);
            if (c === undefined || c < min) return ABSTAIN;
          }
          return v;
        });
      }
    }
  });
  return {
    lfs,
    cardinality,
    classNames: names
      ? Object.entries(names)
          .sort((a, b) => a[1] - b[1])
          .map(([k]) => k)
      : undefined,
  };
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}
