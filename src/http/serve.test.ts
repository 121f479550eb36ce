import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isMortarError } from '../core/errors.js';
import { createApp } from './app.js';
import { startServer } from './serve.js';

describe('startServer', () => {
  it('binds 127.0.0.1 by default, serves /healthz over a socket, and closes', async () => {
    const app = createApp({ bodyLimitBytes: 1024, info: { version: '1.2.3' } });
    const server = await startServer(app, { port: 0 });
    try {
      expect(server.host).toBe('127.0.0.1');
      expect(server.port).toBeGreaterThan(0);
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      const res = await fetch(`${server.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', version: '1.2.3' });
      // A bad request does not take the server down.
      const bad = await fetch(`${server.url}/nope`);
      expect(bad.status).toBe(404);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('lets an in-flight request finish when closed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const started = new Promise<void>((r) => (entered = r));
    const app = createApp({
      bodyLimitBytes: 1024,
      routes: [
        {
          name: 'slow',
          register(a) {
            a.get('/slow', async (c) => {
              entered();
              await gate;
              return c.json({ done: true });
            });
          },
        },
      ],
    });
    const server = await startServer(app, { port: 0 });
    const inflight = fetch(`${server.url}/slow`);
    await started;
    const closed = server.close();
    release();
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closed;
    expect(server.close()).toBe(closed);
  });

  it('refuses a port in use with FAILED_PRECONDITION naming the fix', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const err = await startServer(createApp({ bodyLimitBytes: 1024 }), { port }).catch(
        (e: unknown) => e,
      );
      expect(isMortarError(err, 'FAILED_PRECONDITION')).toBe(true);
      expect((err as Error).message).toContain('already in use');
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('refuses an out-of-range port with INVALID_ARGUMENT', async () => {
    const err = await startServer(createApp({ bodyLimitBytes: 1024 }), { port: 70000 }).catch(
      (e: unknown) => e,
    );
    expect(isMortarError(err, 'INVALID_ARGUMENT')).toBe(true);
  });
});
