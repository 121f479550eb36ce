import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { MortarError } from '../core/errors.js';

/** The host the server binds when none is given: loopback only. */
export const DEFAULT_HOST = '127.0.0.1';

/** Options for {@link startServer}. */
export interface ServeOptions {
  /** Interface to bind; default {@link DEFAULT_HOST}. Anything else exposes the server. */
  readonly host?: string;
  /** Port to bind; 0 picks a free one (read it back from the result). */
  readonly port: number;
}

/** A listening server. */
export interface RunningServer {
  /** `http://HOST:PORT`, with the port actually bound. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /**
   * Stops accepting connections, lets in-flight requests finish, then resolves. Idle keep-alive
   * connections are closed at once; connections still busy after `graceMs` (default 10 s) are cut.
   * Calling it again returns the same promise.
   */
  close(opts?: { readonly graceMs?: number }): Promise<void>;
}

/** Anything with a fetch handler (a hono app). */
export interface Fetchable {
  fetch(request: Request): Response | Promise<Response>;
}

/**
 * Serves `app` over HTTP/1.1 with @hono/node-server. Binds 127.0.0.1 unless `host` says otherwise.
 * @throws MortarError FAILED_PRECONDITION when the port is taken or may not be bound.
 * @example
 * const server = await startServer(createApp({ bodyLimitBytes: 1 << 20 }), { port: 0 });
 * console.log(server.url); // http://127.0.0.1:43817
 * await server.close();
 */
export async function startServer(app: Fetchable, opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? DEFAULT_HOST;
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `port must be an integer from 0 to 65535, got ${String(opts.port)}`,
      { details: { port: opts.port } },
    );
  }
  const server = serve({
    fetch: (req) => app.fetch(req),
    hostname: host,
    port: opts.port,
  }) as Server;
  // Responses still being written, so close() can ask their connections not to stay alive.
  const active = new Set<ServerResponse>();
  let closing: Promise<void> | undefined;
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (closing) {
      res.setHeader('connection', 'close');
      return;
    }
    active.add(res);
    res.once('close', () => active.delete(res));
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(bindError(e, host, opts.port));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
  });
  const address = server.address() as AddressInfo;
  const urlHost =
    address.family === 'IPv6' || address.address.includes(':')
      ? `[${address.address}]`
      : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    close({ graceMs = 10_000 } = {}) {
      closing ??= new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        server.close((err) => {
          clearTimeout(timer);
          if (err) reject(err);
          else resolve();
        });
        server.closeIdleConnections();
        for (const res of active) if (!res.headersSent) res.setHeader('connection', 'close');
      });
      return closing;
    },
  };
}

function bindError(e: NodeJS.ErrnoException, host: string, port: number): MortarError {
  const where = `${host}:${port}`;
  const message =
    e.code === 'EADDRINUSE'
      ? `cannot listen on ${where}: the port is already in use; pick another with --port (or MORTAR_PORT), or 0 for any free port`
      : e.code === 'EACCES'
        ? `cannot listen on ${where}: permission denied; use a port above 1023`
        : e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND'
          ? `cannot listen on ${where}: no such interface on this machine; use 127.0.0.1 or an address this machine has`
          : `cannot listen on ${where}: ${e.message}`;
  return new MortarError('FAILED_PRECONDITION', message, {
    details: { host, port, errno: e.code ?? null },
    cause: e,
  });
}
