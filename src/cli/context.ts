import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import {
  CONFIG_ENV,
  MortarConfigSchema,
  envLayer,
  flagLayer,
  readConfigFile,
  resolveConfig,
  type ConfigLayer,
  type MortarConfig,
  type ResolvedConfig,
} from '../core/config/index.js';
import { createPinoLogger, type Logger } from '../core/logger.js';
import { openStore, type Store } from '../core/store/index.js';
import type { Output } from './output.js';
import { createProgress, type Progress } from './progress.js';

/** Everything a subcommand needs from the outside world; built once per invocation. */
export interface CliContext {
  readonly out: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** The effective config: defaults < config file < MORTAR_* env < global flags. */
  config(): ResolvedConfig<MortarConfig>;
  /** A pino logger on stderr at the configured level. */
  logger(): Logger;
  /** Opens the configured store (the caller closes it). */
  openStore(): Promise<Store>;
  /** A progress bar on a TTY, silent otherwise or when `quiet` (e.g. `--json`). */
  progress(label: string, total: number, opts?: { unit?: string; quiet?: boolean }): Progress;
  /** Sets the exit code for "ran fine, found a problem" outcomes (e.g. anomalies found). */
  setExitCode(code: number): void;
  readonly exitCode: number;
}

/** Names of the config files looked up in the working directory when none is given. */
export const DEFAULT_CONFIG_FILES = [
  'mortar.config.json',
  'mortar.config.yaml',
  'mortar.config.yml',
];

/** Builds the context for one invocation of `program`. */
export function createContext(
  program: Command,
  io: { out: Output; env: Readonly<Record<string, string | undefined>>; cwd: string },
): CliContext {
  let resolved: ResolvedConfig<MortarConfig> | undefined;
  let logger: Logger | undefined;
  let exitCode = 0;
  const ctx: CliContext = {
    ...io,
    config() {
      if (!resolved) {
        const opts = program.opts<{ config?: string; store?: string; logLevel?: string }>();
        const layers: ConfigLayer[] = [];
        const file =
          opts.config ??
          io.env['MORTAR_CONFIG'] ??
          DEFAULT_CONFIG_FILES.find((f) => existsSync(resolve(io.cwd, f)));
        if (file) layers.push(readConfigFile(resolve(io.cwd, file)));
        layers.push(envLayer(io.env, CONFIG_ENV));
        layers.push(
          flagLayer({
            'store.url':
              opts.store === undefined ? undefined : { value: opts.store, name: '--store' },
            'log.level':
              opts.logLevel === undefined
                ? undefined
                : { value: opts.logLevel, name: '--log-level' },
          }),
        );
        resolved = resolveConfig(MortarConfigSchema, layers);
      }
      return resolved;
    },
    logger() {
      logger ??= createPinoLogger(ctx.config().config.log.level);
      return logger;
    },
    openStore() {
      return openStore(ctx.config().config.store.url, { cwd: io.cwd, logger: ctx.logger() });
    },
    progress(label, total, opts = {}) {
      return createProgress({
        label,
        total,
        unit: opts.unit,
        enabled: io.out.isTTY && !opts.quiet,
      });
    },
    setExitCode(code) {
      exitCode = code;
    },
    get exitCode() {
      return exitCode;
    },
  };
  return ctx;
}
