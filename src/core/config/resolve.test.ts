import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMortarError } from '../errors.js';
import { CONFIG_ENV, MortarConfigSchema } from './schema.js';
import { envLayer, flagLayer, readConfigFile, resolveConfig } from './resolve.js';

const dir = mkdtempSync(join(tmpdir(), 'mortar-config-'));

describe('resolveConfig', () => {
  it('fills defaults and reports every leaf as default', () => {
    const { config, sources } = resolveConfig(MortarConfigSchema, []);
    expect(config.store.url).toBe('sqlite:.mortar/mortar.db');
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.server.port).toBe(7070);
    expect(sources['server.port']).toBe('default');
  });

  it('applies file < env < flag precedence and records each source', () => {
    const file = join(dir, 'mortar.config.yaml');
    writeFileSync(
      file,
      'store:\n  url: "memory:"\nserver:\n  port: 9000\n  host: 127.0.0.2\nlog:\n  level: warn\n',
    );
    const { config, sources } = resolveConfig(MortarConfigSchema, [
      readConfigFile(file),
      envLayer({ MORTAR_PORT: '9100', MORTAR_LOG_LEVEL: 'debug', UNRELATED: 'x' }, CONFIG_ENV),
      flagLayer({ 'log.level': { value: 'error', name: '--log-level' } }),
    ]);
    expect(config.store.url).toBe('memory:');
    expect(sources['store.url']).toBe(`file:${file}`);
    expect(config.server.host).toBe('127.0.0.2');
    expect(config.server.port).toBe(9100);
    expect(sources['server.port']).toBe('env:MORTAR_PORT');
    expect(config.log.level).toBe('error');
    expect(sources['log.level']).toBe('flag:--log-level');
    expect(sources['seed']).toBe('default');
  });

  it('names the path and source of a bad value', () => {
    try {
      resolveConfig(MortarConfigSchema, [envLayer({ MORTAR_PORT: 'eighty' }, CONFIG_ENV)]);
      expect.unreachable();
    } catch (e) {
      expect(isMortarError(e, 'INVALID_CONFIG')).toBe(true);
      expect((e as Error).message).toMatch(/server\.port/);
      expect((e as Error).message).toMatch(/env:MORTAR_PORT/);
    }
  });

  it('rejects unknown keys in a file, naming them', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ server: { prot: 1 } }));
    expect(() => resolveConfig(MortarConfigSchema, [readConfigFile(file)])).toThrow(/server\.prot/);
  });

  it('names the file when it does not parse or is missing', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "store": ');
    expect(() => readConfigFile(file)).toThrow(
      new RegExp(`${file.replace(/[.]/g, '\\.')} does not parse`),
    );
    expect(() => readConfigFile(join(dir, 'nope.json'))).toThrow(
      /cannot read config file .*nope\.json/,
    );
  });
});
