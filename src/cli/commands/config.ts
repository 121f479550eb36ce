import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { table } from '../output.js';

/** `mortar config show`: the effective config and where each value came from. */
export function register(program: Command, ctx: CliContext): void {
  const config = program.command('config').description('inspect the effective configuration');
  config
    .command('show')
    .description(
      'print the effective config and the source of each value (default, file, env, flag)',
    )
    .option('--json', 'print JSON: { config, sources }')
    .action((opts: { json?: boolean }) => {
      const { config: cfg, sources } = ctx.config();
      const redact = (path: string, v: unknown) =>
        path === 'server.token' && v !== undefined ? '***' : v;
      if (opts.json) {
        const c = structuredClone(cfg) as { server: { token?: string } };
        if (c.server.token !== undefined) c.server.token = '***';
        ctx.out.json({ config: c, sources });
        return;
      }
      const rows = Object.entries(sources).map(([path, src]) => [
        path,
        redact(path, getPath(cfg, path)),
        src,
      ]);
      ctx.out.line(table(['key', 'value', 'source'], rows));
    });
}

function getPath(obj: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
}
