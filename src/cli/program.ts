import { Command } from 'commander';
import type { CliContext } from './context.js';
import type { Output } from './output.js';
import { register as registerConfig } from './commands/config.js';
import { register as registerLabel } from './commands/label.js';
import { register as registerData } from './commands/data.js';
import { register as registerQuickstart } from './commands/quickstart.js';
import { register as registerRuns } from './commands/runs.js';
import { register as registerServer } from './commands/server.js';
import { register as registerServe } from './commands/serve.js';
import { register as registerPredict } from './commands/predict.js';
import { register as registerStore } from './commands/store.js';
import { register as registerTune } from './commands/tune.js';
import { register as registerValidate } from './commands/validate.js';
import { register as registerTrain } from './commands/train.js';
import { register as registerEvaluate } from './commands/evaluate.js';
import { register as registerExport } from './commands/export.js';

/** The version printed by `mortar --version`. */
export const VERSION = '0.1.0';

/** A subcommand module: adds its command(s) to the program. One file per subcommand. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

const COMMANDS: readonly RegisterCommand[] = [
  registerQuickstart,
  registerData,
  registerServer,
  registerStore,
  registerRuns,
  registerConfig,
  registerLabel,
  registerServe,
  registerPredict,
  registerValidate,
  registerTune,
  registerTrain,
  registerEvaluate,
  registerExport,
];

/** The root `mortar` command with its global options; errors are thrown, not printed+exit. */
export function createRootCommand(out: Output): Command {
  return new Command('mortar')
    .description(
      'Mortar: the systems side of machine learning (labeling, validation, tuning, training, serving).',
    )
    .version(VERSION)
    .option(
      '-c, --config <file>',
      'config file (JSON or YAML); default: ./mortar.config.{json,yaml} if present',
    )
    .option('--store <url>', 'store URL: sqlite:PATH | memory: | postgres://... (env MORTAR_STORE)')
    .option('--log-level <level>', 'debug | info | warn | error | silent (env MORTAR_LOG_LEVEL)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => out.line(s.replace(/\n$/, '')),
      writeErr: (s) => out.note(s.replace(/\n$/, '')),
    })
    .showHelpAfterError('(run with --help for usage)');
}

/** Adds every subcommand to `program`. */
export function registerCommands(program: Command, ctx: CliContext): void {
  for (const register of COMMANDS) register(program, ctx);
  // Subcommands inherit the root's error handling and output.
  const inherit = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub.exitOverride();
      sub.copyInheritedSettings?.(cmd);
      inherit(sub);
    }
  };
  inherit(program);
}
