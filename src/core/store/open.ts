import { isAbsolute, resolve } from 'node:path';
import type { Clock } from '../clock.js';
import { MortarError } from '../errors.js';
import type { Logger } from '../logger.js';
import { createMemoryStore } from './memory.js';
import { openPostgresStore, redactUrl } from './postgres.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** The folder relative `sqlite:` paths are resolved against. */
  readonly cwd: string;
  /** Timestamps for records and docs; default the system clock. */
  readonly clock?: Clock;
  /** Where backend warnings go (e.g. a dropped idle postgres connection); default none. */
  readonly logger?: Logger;
}

/** The store URL forms {@link openStore} accepts, for messages and `--help`. */
export const STORE_URL_FORMS =
  'sqlite:PATH (relative to the working directory, e.g. sqlite:.mortar/mortar.db), sqlite::memory:, memory:, ' +
  'or postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?schema=NAME]';

/**
 * Opens the store a URL names, creating and migrating it as needed:
 * `sqlite:PATH` (parent folder created), `sqlite::memory:`, `memory:`, `postgres://...` or
 * `postgresql://...` (optionally `?schema=NAME`). The caller closes it.
 *
 * @throws INVALID_ARGUMENT for any other URL; STORE_UNAVAILABLE when the backend cannot be
 * reached; STORE_INCOMPATIBLE when the store was written by a newer Mortar.
 * @example const store = await openStore('sqlite:.mortar/mortar.db', { cwd: process.cwd() });
 */
export async function openStore(url: string, opts: OpenStoreOptions): Promise<Store> {
  const { clock, logger } = opts;
  if (url === 'memory:') return createMemoryStore({ clock });
  if (url === 'sqlite::memory:') return openSqliteStore({ path: ':memory:', clock });
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path.length === 0) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `store URL "sqlite:" names no file; use ${STORE_URL_FORMS}`,
      );
    }
    return openSqliteStore({ path: isAbsolute(path) ? path : resolve(opts.cwd, path), clock });
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return openPostgresStore({ url, clock, logger });
  }
  throw new MortarError(
    'INVALID_ARGUMENT',
    `unsupported store URL ${JSON.stringify(redactUrl(url))}; use ${STORE_URL_FORMS}`,
    {
      details: { url: redactUrl(url) },
    },
  );
}
