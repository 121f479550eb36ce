import { z } from 'zod';
import { LOG_LEVELS } from '../logger.js';

/**
 * Mortar's configuration. Parsed once at the boundary (cli/, http/); every layer below receives
 * the typed values. Subsystems add their sections here as they land.
 */
export const MortarConfigSchema = z
  .object({
    store: z
      .object({
        /** `sqlite:PATH` (default `.mortar/mortar.db`), `memory:`, or `postgres://...`. */
        url: z.string().min(1).default('sqlite:.mortar/mortar.db'),
      })
      .strict()
      .prefault({}),
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.coerce.number().int().min(0).max(65535).default(7070),
        /** Bearer token required on every route but /healthz when set. */
        token: z.string().min(1).optional(),
        /** Largest accepted request body, in bytes. */
        bodyLimitBytes: z.coerce
          .number()
          .int()
          .positive()
          .default(10 * 1024 * 1024),
      })
      .strict()
      .prefault({}),
    log: z
      .object({ level: z.enum(LOG_LEVELS).default('info') })
      .strict()
      .prefault({}),
    /** Default seed for anything random that is not given one explicitly. */
    seed: z.coerce.number().int().default(42),
  })
  .strict();

/** The effective configuration. */
export type MortarConfig = z.infer<typeof MortarConfigSchema>;

/**
 * Environment variables Mortar reads (at the edges only) and the config path each one sets.
 * `MORTAR_CONFIG` (a config file path) is read by the CLI separately.
 */
export const CONFIG_ENV: Readonly<Record<string, string>> = {
  MORTAR_STORE: 'store.url',
  MORTAR_HOST: 'server.host',
  MORTAR_PORT: 'server.port',
  MORTAR_TOKEN: 'server.token',
  MORTAR_BODY_LIMIT: 'server.bodyLimitBytes',
  MORTAR_LOG_LEVEL: 'log.level',
  MORTAR_SEED: 'seed',
};
