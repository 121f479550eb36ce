import { resolve } from 'node:path';
import type { Command } from 'commander';
import { MortarError } from '../../core/errors.js';
import { readTable } from '../../core/data/index.js';
import { loadEngine } from '../../core/tensor/index.js';
import { evaluateOpened, openModel } from '../../training/index.js';
import type { CliContext } from '../context.js';
import { table } from '../output.js';

/** `mortar evaluate MODEL --data FILE`: metrics of a stored model on labelled data. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('evaluate')
    .description(
      'print the metrics of a trained model (from `mortar train`) on a labelled data file',
    )
    .argument('<model>', 'model id (printed by mortar train)')
    .requiredOption('--data <file>', 'labelled data with the columns the model was trained on')
    .option('--nan <policy>', 'NaN/null in features: error (default) | drop')
    .option('--json', 'print {"model": ID, "metrics": {...}} as JSON')
    .action(async (id: string, flags: { data: string; nan?: string; json?: boolean }) => {
      if (flags.nan !== undefined && flags.nan !== 'error' && flags.nan !== 'drop') {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `--nan must be "error" or "drop", got "${flags.nan}"`,
        );
      }
      const store = await ctx.openStore();
      try {
        const opened = await openModel(store, id, await loadEngine());
        try {
          const batch = await readTable(resolve(ctx.cwd, flags.data));
          const metrics = evaluateOpened(
            opened,
            batch,
            flags.data,
            (flags.nan as 'error' | 'drop' | undefined) ?? 'error',
          );
          if (flags.json) ctx.out.json({ model: id, metrics });
          else {
            ctx.out.line(`model ${id} (${opened.artifact.kind}) on ${flags.data}`);
            ctx.out.line(
              table(
                ['metric', 'value'],
                Object.entries(metrics).map(([k, v]) => [
                  k,
                  Number.isInteger(v) ? String(v) : v.toFixed(4),
                ]),
              ),
            );
          }
        } finally {
          if (opened.family === 'network') opened.model.dispose();
        }
      } finally {
        await store.close();
      }
    });
}
