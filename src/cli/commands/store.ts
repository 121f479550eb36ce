import type { Command } from 'commander';
import { LATEST_SCHEMA_VERSION, RUNS_COLLECTION } from '../../core/store/index.js';
import type { CliContext } from '../context.js';
import { table } from '../output.js';

/** What `mortar store info --json` prints. */
export interface StoreInfo {
  readonly backend: string;
  readonly store: string;
  readonly schemaVersion: number;
  readonly supportedSchemaVersion: number;
  readonly streams: number;
  readonly records: number;
  readonly docs: number;
  readonly runs: number;
  readonly collections: Readonly<Record<string, number>>;
}

/** `mortar store info`: which store is configured, its schema version and what it holds. */
export function register(program: Command, ctx: CliContext): void {
  const store = program
    .command('store')
    .description('inspect the durable store (MORTAR_STORE / --store)');
  store
    .command('info')
    .description(
      'backend, location, schema version, and how many streams, records, docs and runs it holds',
    )
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const s = await ctx.openStore();
      try {
        const stats = await s.stats();
        const info: StoreInfo = {
          backend: s.kind,
          store: s.description,
          schemaVersion: await s.schemaVersion(),
          supportedSchemaVersion: LATEST_SCHEMA_VERSION,
          streams: stats.streams,
          records: stats.records,
          docs: stats.docs,
          runs: stats.collections[RUNS_COLLECTION] ?? 0,
          collections: stats.collections,
        };
        if (opts.json) {
          ctx.out.json(info);
          return;
        }
        ctx.out.line(
          table(
            ['property', 'value'],
            [
              ['backend', info.backend],
              ['store', info.store],
              [
                'schema',
                `v${info.schemaVersion} (this Mortar supports up to v${info.supportedSchemaVersion})`,
              ],
              ['streams', info.streams],
              ['records', info.records],
              ['docs', info.docs],
              ['runs', info.runs],
              ...Object.entries(info.collections).map(([c, n]) => [`docs in ${c}`, n]),
            ],
          ),
        );
      } finally {
        await s.close();
      }
    });
}
