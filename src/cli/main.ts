import { CommanderError } from 'commander';
import { toMortarError } from '../core/errors.js';
import { createContext } from './context.js';
import { EXIT_CODES } from './exit-codes.js';
import { processOutput, type Output } from './output.js';
import { createRootCommand, registerCommands } from './program.js';

/**
 * Runs the `mortar` command with `argv` (as in `process.argv`) and returns the exit code.
 * Errors become one line on stderr (`error [CODE]: message`), or a JSON body on stdout with
 * `--json`, and a non-zero exit code from the one map in exit-codes.ts.
 */
export async function main(
  argv: readonly string[],
  io: { out?: Output; env?: Readonly<Record<string, string | undefined>>; cwd?: string } = {},
): Promise<number> {
  const out = io.out ?? processOutput();
  const program = createRootCommand(out);
  const ctx = createContext(program, {
    out,
    env: io.env ?? process.env,
    cwd: io.cwd ?? process.cwd(),
  });
  registerCommands(program, ctx);
  try {
    await program.parseAsync(argv as string[]);
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return e.exitCode === 0 ? 0 : 2;
    }
    const err = toMortarError(e);
    if (argv.includes('--json')) out.json(err.toJSON());
    out.note(`error [${err.code}]: ${err.message}`);
    if (err.code === 'INTERNAL' && e instanceof Error && e.stack) out.note(e.stack);
    return EXIT_CODES[err.code];
  }
}
