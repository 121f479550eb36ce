import type { Command } from 'commander';
import { MortarError } from '../../core/errors.js';
import {
  listRuns,
  readMetrics,
  requireRun,
  type Run,
  type RunStatus,
} from '../../core/store/index.js';
import type { CliContext } from '../context.js';
import { table } from '../output.js';

const STATUSES: readonly RunStatus[] = ['running', 'completed', 'failed'];

/** `mortar runs list` and `mortar runs show ID`: the runs recorded in the store. */
export function register(program: Command, ctx: CliContext): void {
  const runs = program
    .command('runs')
    .description('runs recorded in the store (quickstart, training, tuning)');

  runs
    .command('list')
    .description('list runs, newest first')
    .option('--kind <kind>', 'only runs of this kind (e.g. quickstart, train)')
    .option('--status <status>', `only runs with this status (${STATUSES.join(' | ')})`)
    .option('--limit <n>', 'at most this many runs', '50')
    .option('--json', 'print JSON: { runs: [...] }')
    .action(async (opts: { kind?: string; status?: string; limit: string; json?: boolean }) => {
      const limit = parseLimit(opts.limit);
      const status = parseStatus(opts.status);
      const store = await ctx.openStore();
      try {
        const found = await listRuns(store, { kind: opts.kind, status, limit });
        if (opts.json) {
          ctx.out.json({ runs: found });
          return;
        }
        if (found.length === 0) {
          ctx.out.line(
            `no runs in ${store.description}${opts.kind ? ` of kind ${opts.kind}` : ''}`,
          );
          return;
        }
        ctx.out.line(
          table(
            ['id', 'kind', 'name', 'status', 'started', 'duration_s'],
            found.map((r) => [r.id, r.kind, r.name, r.status, new Date(r.startedAt), durationS(r)]),
          ),
        );
      } finally {
        await store.close();
      }
    });

  runs
    .command('show')
    .description('one run: params, summary and its metric history')
    .argument('<id>', 'the run id (see `mortar runs list`)')
    .option('--json', 'print JSON: { run, metrics: [{ seq, step, ts, values }] }')
    .action(async (id: string, opts: { json?: boolean }) => {
      const store = await ctx.openStore();
      try {
        const run = await requireRun(store, id);
        const metrics = await readMetrics(store, id);
        if (opts.json) {
          ctx.out.json({
            run,
            // JSON has no NaN/Infinity: write those as strings, as the store does.
            metrics: metrics.map((m) => ({ ...m, values: jsonNumbers(m.values) })),
          });
          return;
        }
        ctx.out.line(
          table(
            ['field', 'value'],
            [
              ['id', run.id],
              ['kind', run.kind],
              ['name', run.name],
              ['status', run.status],
              ['started', new Date(run.startedAt)],
              ['ended', run.endedAt === null ? null : new Date(run.endedAt)],
              ['duration_s', durationS(run)],
            ],
          ),
        );
        // Nested values read better as indented JSON than squeezed into a table cell.
        ctx.out.line('');
        ctx.out.line(`params:\n${indentJson(run.params)}`);
        ctx.out.line(`summary:\n${indentJson(run.summary)}`);
        ctx.out.line('');
        if (metrics.length === 0) {
          ctx.out.line('no metrics logged');
          return;
        }
        const keys = [...new Set(metrics.flatMap((m) => Object.keys(m.values)))];
        ctx.out.line(
          table(
            ['step', ...keys],
            metrics.map((m) => [m.step, ...keys.map((k) => m.values[k])]),
          ),
        );
      } finally {
        await store.close();
      }
    });
}

function indentJson(v: unknown): string {
  return (JSON.stringify(v, null, 2) ?? 'null')
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

function durationS(r: Run): number | null {
  return r.endedAt === null ? null : (r.endedAt - r.startedAt) / 1000;
}

function jsonNumbers(values: Readonly<Record<string, number>>): Record<string, number | string> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, Number.isFinite(v) ? v : String(v)]),
  );
}

function parseLimit(s: string): number {
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `--limit must be a positive integer, got ${JSON.stringify(s)}`,
    );
  }
  return n;
}

function parseStatus(s: string | undefined): RunStatus | undefined {
  if (s === undefined) return undefined;
  if (!(STATUSES as readonly string[]).includes(s)) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `--status must be one of ${STATUSES.join(', ')}, got ${JSON.stringify(s)}`,
    );
  }
  return s as RunStatus;
}
