import { readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { MortarError } from '../../core/errors.js';
import {
  Profile,
  detectSeriesAnomalies,
  historyFeatures,
  inferSchema,
  isProfileJson,
  parseProfile,
  profileFile,
  readHistory,
  readSchemaFile,
  recordHistory,
  shouldFail,
  validate,
  validationReport,
  writeSchemaFile,
  type Anomaly,
  type FailOn,
} from '../../validation/index.js';
import type { CliContext } from '../context.js';
import { table } from '../output.js';

interface CommonFlags {
  json?: boolean;
  workers?: string;
}

/** Loads a profile from a profile JSON file, or profiles a data file. */
async function loadProfile(ctx: CliContext, file: string, flags: CommonFlags): Promise<Profile> {
  const path = resolve(ctx.cwd, file);
  if (/\.json$/i.test(path)) {
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      text = undefined; // let the data reader report the missing file
    }
    if (text !== undefined && text.includes('"mortar-profile"')) {
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch (e) {
        throw new MortarError('DATA_INVALID', `${file}: not valid JSON (${(e as Error).message})`, {
          details: { file },
        });
      }
      if (isProfileJson(v)) return Profile.fromJSON(parseProfile(v, file));
    }
  }
  const workers = flags.workers === undefined ? undefined : Number(flags.workers);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 0)) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `--workers must be an integer >= 0, got "${flags.workers}"`,
      { details: { flag: '--workers' } },
    );
  }
  return profileFile(path, workers === undefined ? {} : { workers });
}

function parseFailOn(v: string | undefined): FailOn {
  const f = v ?? 'error';
  if (f !== 'error' && f !== 'warning' && f !== 'never') {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `--fail-on must be error, warning or never, got "${f}"`,
      { details: { flag: '--fail-on' } },
    );
  }
  return f;
}

function printAnomalies(
  ctx: CliContext,
  anomalies: readonly Anomaly[],
  json: boolean | undefined,
  extra: Record<string, unknown> = {},
): void {
  if (json) {
    ctx.out.json({ anomalies, ...extra });
    return;
  }
  if (!anomalies.length) {
    ctx.out.line('no anomalies');
    return;
  }
  ctx.out.line(
    table(
      ['feature', 'type', 'severity', 'value', 'threshold', 'description'],
      anomalies.map((a) => [
        a.feature,
        a.type,
        a.severity,
        String(a.value ?? ''),
        String(a.threshold ?? ''),
        a.description,
      ]),
    ),
  );
}

/** `mortar validate stats|infer-schema|check|compare|history`: statistics, schemas, anomalies, drift. */
export function register(program: Command, ctx: CliContext): void {
  const v = program
    .command('validate')
    .description('data validation: statistics, schema, anomalies, drift and skew');

  v.command('stats')
    .argument('<data>', 'data file (CSV/TSV, JSON/NDJSON, Parquet, Arrow)')
    .description('profile a data file (mergeable statistics) and write it as JSON')
    .option('--out <file>', 'write the profile here (default: print a summary only)')
    .option('--workers <n>', 'worker threads for statistics (default: one per core)')
    .option('--json', 'print JSON for scripts')
    .action(async (data: string, flags: CommonFlags & { out?: string }) => {
      const profile = await loadProfile(ctx, data, flags);
      const json = profile.toJSON();
      if (flags.out) await writeFile(resolve(ctx.cwd, flags.out), JSON.stringify(json));
      const rows = [...profile.features.values()].map((f) => ({
        feature: f.name,
        type: f.type,
        missing: f.missing,
        mean: f.numeric ? Number(f.numeric.moments.mean.toPrecision(6)) : null,
        std: f.numeric ? Number(f.numeric.moments.std.toPrecision(6)) : null,
        min: f.numeric && f.numeric.moments.n ? f.numeric.min : null,
        p50: f.numeric && f.numeric.moments.n ? f.numeric.kll.quantile(0.5) : null,
        max: f.numeric && f.numeric.moments.n ? f.numeric.max : null,
        distinct: f.string ? Math.round(f.string.hll.estimate()) : null,
      }));
      if (flags.json) {
        ctx.out.json({ rows: profile.rows, out: flags.out ?? null, features: rows });
        return;
      }
      ctx.out.line(
        `${data}: ${profile.rows} rows${flags.out ? `, profile written to ${flags.out}` : ''}`,
      );
      ctx.out.line(
        table(
          ['feature', 'type', 'missing', 'mean', 'std', 'min', 'p50', 'max', 'distinct'],
          rows.map((r) => Object.values(r).map((x) => (x === null ? '' : String(x)))),
        ),
      );
    });

  v.command('infer-schema')
    .argument('<data>', 'data file or profile JSON')
    .description('infer a schema (types, presence, domains, ranges, environments) from data')
    .requiredOption('--out <file>', 'schema file to write (.json, or .yaml/.yml)')
    .option('--label <feature>', 'the label feature: marked absent in the SERVING environment')
    .option('--workers <n>', 'worker threads for statistics')
    .option('--json', 'print the schema as JSON')
    .action(async (data: string, flags: CommonFlags & { out: string; label?: string }) => {
      const profile = await loadProfile(ctx, data, flags);
      const schema = inferSchema(profile, flags.label === undefined ? {} : { label: flags.label });
      await writeSchemaFile(resolve(ctx.cwd, flags.out), schema);
      if (flags.json) ctx.out.json(schema);
      else ctx.out.line(`schema with ${schema.features.length} features written to ${flags.out}`);
    });

  v.command('check')
    .argument('<batch>', 'data file (or profile JSON) to validate')
    .description(
      'validate a batch against a schema and optionally a reference (drift/skew); exit 1 on anomalies',
    )
    .option('--schema <file>', 'schema file (JSON/YAML); default: inferred from --reference')
    .option(
      '--reference <file>',
      'reference data file or profile JSON (previous batch, or training data)',
    )
    .option(
      '--environment <env>',
      'the batch environment, e.g. SERVING (features absent there are not expected)',
    )
    .option('--skew', 'word findings as training/serving skew rather than drift')
    .option('--fail-on <level>', 'exit 1 on anomalies at/above: error (default) | warning | never')
    .option(
      '--report <file>',
      'write an HTML report (batch vs reference histograms, anomalies highlighted)',
    )
    .option('--record', 'append per-feature metrics to the store (see `mortar validate history`)')
    .option('--workers <n>', 'worker threads for statistics')
    .option('--json', 'print {"anomalies": [...]} as JSON')
    .action(
      async (
        batchFile: string,
        flags: CommonFlags & {
          schema?: string;
          reference?: string;
          environment?: string;
          skew?: boolean;
          failOn?: string;
          report?: string;
          record?: boolean;
        },
      ) => {
        const failOn = parseFailOn(flags.failOn);
        if (!flags.schema && !flags.reference) {
          throw new MortarError(
            'INVALID_ARGUMENT',
            'validate check needs --schema, --reference or both',
            { details: { flag: '--schema' } },
          );
        }
        const schema = flags.schema
          ? await readSchemaFile(resolve(ctx.cwd, flags.schema))
          : undefined;
        if (flags.environment && schema && !schema.environments.includes(flags.environment)) {
          throw new MortarError(
            'INVALID_ARGUMENT',
            `--environment ${flags.environment} is not declared in ${flags.schema}; environments are: ${schema.environments.join(', ')}`,
            { details: { flag: '--environment', file: flags.schema } },
          );
        }
        const reference = flags.reference
          ? await loadProfile(ctx, flags.reference, flags)
          : undefined;
        const batch = await loadProfile(ctx, batchFile, flags);
        const anomalies = validate(batch, {
          ...(schema ? { schema } : {}),
          ...(reference ? { reference } : {}),
          ...(flags.environment ? { environment: flags.environment } : {}),
          mode: flags.skew ? 'skew' : 'drift',
        });
        await finish(ctx, { batchFile, batch, reference, anomalies, failOn, flags });
      },
    );

  v.command('compare')
    .argument('<a>', 'the batch: data file or profile JSON')
    .argument('<b>', 'the reference: data file or profile JSON')
    .description('compare two datasets (drift of A vs B), with the schema inferred from B')
    .option('--fail-on <level>', 'exit 1 on anomalies at/above: error (default) | warning | never')
    .option('--report <file>', 'write an HTML report')
    .option('--workers <n>', 'worker threads for statistics')
    .option('--json', 'print {"anomalies": [...]} as JSON')
    .action(
      async (a: string, b: string, flags: CommonFlags & { failOn?: string; report?: string }) => {
        const failOn = parseFailOn(flags.failOn);
        const reference = await loadProfile(ctx, b, flags);
        const batch = await loadProfile(ctx, a, flags);
        const anomalies = validate(batch, { reference });
        await finish(ctx, { batchFile: a, batch, reference, anomalies, failOn, flags });
      },
    );

  v.command('history')
    .argument('[feature]', 'feature whose recorded metrics to show (omit to list features)')
    .description(
      "show a feature's recorded metrics per batch, with anomaly detection on the series",
    )
    .option('--k <sigma>', 'band width in standard deviations (default 3)')
    .option('--json', 'print JSON')
    .action(async (feature: string | undefined, flags: { json?: boolean; k?: string }) => {
      const store = await ctx.openStore();
      try {
        if (feature === undefined) {
          const features = await historyFeatures(store);
          if (flags.json) ctx.out.json({ features });
          else
            ctx.out.line(
              features.length
                ? features.join('\n')
                : 'no history yet; record some with `mortar validate check --record`',
            );
          return;
        }
        const points = await readHistory(store, feature);
        if (!points.length) {
          throw new MortarError(
            'NOT_FOUND',
            `no history for feature "${feature}"; record batches with \`mortar validate check BATCH --record\` (features with history: ${(await historyFeatures(store)).join(', ') || 'none'})`,
            { details: { feature } },
          );
        }
        const k = flags.k === undefined ? 3 : Number(flags.k);
        if (!(k > 0))
          throw new MortarError(
            'INVALID_ARGUMENT',
            `--k must be a positive number, got "${flags.k}"`,
            { details: { flag: '--k' } },
          );
        const anomalies = detectSeriesAnomalies(feature, points, { k });
        if (flags.json) {
          ctx.out.json({ feature, points, anomalies });
        } else {
          ctx.out.line(
            table(
              ['time', 'batch', 'rows', 'missing', 'mean', 'std', 'p50', 'distinct', 'anomalies'],
              points.map((p) => [
                new Date(p.ts).toISOString(),
                p.batch,
                String(p.metrics.rows),
                p.metrics.missingRate.toFixed(4),
                String(p.metrics.mean ?? ''),
                String(p.metrics.std ?? ''),
                String(p.metrics.p50 ?? ''),
                String(p.metrics.distinct ?? ''),
                String(p.metrics.anomalies),
              ]),
            ),
          );
          printAnomalies(ctx, anomalies, false);
        }
      } finally {
        await store.close();
      }
    });
}

async function finish(
  ctx: CliContext,
  o: {
    batchFile: string;
    batch: Profile;
    reference: Profile | undefined;
    anomalies: Anomaly[];
    failOn: FailOn;
    flags: CommonFlags & { report?: string; record?: boolean };
  },
): Promise<void> {
  if (o.flags.report) {
    await validationReport({
      title: `Validation of ${basename(o.batchFile)}`,
      batch: o.batch,
      ...(o.reference ? { reference: o.reference } : {}),
      anomalies: o.anomalies,
    }).write(resolve(ctx.cwd, o.flags.report));
  }
  if (o.flags.record) {
    const store = await ctx.openStore();
    try {
      await recordHistory(store, {
        batch: o.batchFile,
        profile: o.batch,
        anomalies: o.anomalies,
        ts: Date.now(),
      });
    } finally {
      await store.close();
    }
  }
  printAnomalies(ctx, o.anomalies, o.flags.json);
  if (o.flags.report && !o.flags.json) ctx.out.note(`report: ${o.flags.report}`);
  if (shouldFail(o.anomalies, o.failOn)) ctx.setExitCode(1);
}
