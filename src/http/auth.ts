import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { MortarError } from '../core/errors.js';

/** Options for {@link bearerAuth}. */
export interface BearerAuthOptions {
  /** The token every request must carry as `Authorization: Bearer <token>`. */
  readonly token: string;
  /** Paths answered without a token (exact match), e.g. `['/healthz']`. */
  readonly openPaths?: readonly string[];
}

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/**
 * Requires `Authorization: Bearer <token>` on every path but `openPaths`. Tokens are compared in
 * constant time (both sides are hashed to SHA-256, then `crypto.timingSafeEqual`), so neither
 * the content nor the length of the token leaks through timing. A missing or wrong token throws
 * UNAUTHENTICATED (401 with `WWW-Authenticate: Bearer`).
 *
 * @example app.use('*', bearerAuth({ token: process.env.MORTAR_TOKEN!, openPaths: ['/healthz'] }))
 */
export function bearerAuth(opts: BearerAuthOptions): MiddlewareHandler {
  if (opts.token === '') {
    throw new MortarError('INVALID_ARGUMENT', 'bearerAuth: the token must not be empty');
  }
  const expected = sha256(opts.token);
  const open = new Set(opts.openPaths ?? []);
  return async function bearerAuth(c, next) {
    if (open.has(c.req.path)) return next();
    const header = c.req.header('authorization');
    if (header === undefined || header.trim() === '') {
      throw new MortarError(
        'UNAUTHENTICATED',
        'missing bearer token: this server requires "Authorization: Bearer <token>" (the token set with MORTAR_TOKEN or --token-file)',
        { details: { reason: 'missing' } },
      );
    }
    const m = BEARER.exec(header);
    if (!m?.[1] || !timingSafeEqual(sha256(m[1]), expected)) {
      throw new MortarError(
        'UNAUTHENTICATED',
        m
          ? 'wrong bearer token: send the token the server was started with (MORTAR_TOKEN or --token-file)'
          : 'malformed Authorization header: expected "Bearer <token>"',
        { details: { reason: 'invalid' } },
      );
    }
    return next();
  };
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
