import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { MortarError } from '../errors.js';

/** Where a config value came from, lowest precedence first. */
export type ConfigSource = 'default' | `file:${string}` | `env:${string}` | `flag:${string}`;

/** One layer of raw values (dotted paths or nested objects) and where it came from. */
export interface ConfigLayer {
  /** For a file: `file:PATH`; for env: `env` (each value names its variable); for flags: `flag`. */
  readonly source: 'file' | 'env' | 'flag';
  readonly path?: string;
  /** Flat map of dotted config path to raw value, plus the name that set it (env var or flag). */
  readonly values: ReadonlyMap<string, { readonly value: unknown; readonly name: string }>;
}

/** The effective config and, for every leaf, where its value came from. */
export interface ResolvedConfig<T> {
  readonly config: T;
  readonly sources: Readonly<Record<string, ConfigSource>>;
}

/**
 * Reads a JSON or YAML config file into a flat layer.
 * @throws MortarError INVALID_CONFIG naming the file when it cannot be read or parsed.
 */
export function readConfigFile(path: string): ConfigLayer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new MortarError(
      'INVALID_CONFIG',
      `cannot read config file ${path}: ${(e as Error).message}`,
      {
        details: { file: path },
        cause: e,
      },
    );
  }
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(extname(path)) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new MortarError(
      'INVALID_CONFIG',
      `config file ${path} does not parse: ${(e as Error).message}`,
      {
        details: { file: path },
        cause: e,
      },
    );
  }
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new MortarError(
      'INVALID_CONFIG',
      `config file ${path} must hold an object at the top level`,
      {
        details: { file: path },
      },
    );
  }
  const values = new Map<string, { value: unknown; name: string }>();
  flatten(raw as Record<string, unknown>, '', (p, v) => values.set(p, { value: v, name: p }));
  return { source: 'file', path, values };
}

/** A layer from environment variables, given the env-var -> config-path table. */
export function envLayer(
  env: Readonly<Record<string, string | undefined>>,
  table: Readonly<Record<string, string>>,
): ConfigLayer {
  const values = new Map<string, { value: unknown; name: string }>();
  for (const [name, path] of Object.entries(table)) {
    const v = env[name];
    if (v !== undefined && v !== '') values.set(path, { value: v, name });
  }
  return { source: 'env', values };
}

/** A layer from command-line flags: config path -> { value, flag name }. */
export function flagLayer(
  flags: Readonly<Record<string, { value: unknown; name: string } | undefined>>,
): ConfigLayer {
  const values = new Map<string, { value: unknown; name: string }>();
  for (const [path, v] of Object.entries(flags))
    if (v && v.value !== undefined) values.set(path, v);
  return { source: 'flag', values };
}

/**
 * Merges layers (later layers win: file < env < flags), validates with `schema`, and records
 * the source of every leaf. Defaults fill whatever no layer set.
 *
 * @throws MortarError INVALID_CONFIG naming the path, the bad value's source and the problem.
 */
export function resolveConfig<S extends z.ZodType>(
  schema: S,
  layers: readonly ConfigLayer[],
): ResolvedConfig<z.infer<S>> {
  const merged: Record<string, unknown> = {};
  const setBy = new Map<string, ConfigSource>();
  for (const layer of layers) {
    for (const [path, { value, name }] of layer.values) {
      setPath(merged, path, value);
      setBy.set(
        path,
        layer.source === 'file'
          ? `file:${layer.path ?? '?'}`
          : layer.source === 'env'
            ? `env:${name}`
            : `flag:${name}`,
      );
    }
  }
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    const src = setBy.get(path) ?? 'default';
    const unknownKeys =
      issue && issue.code === 'unrecognized_keys'
        ? ` (unknown key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.map((k) => (path ? `${path}.${k}` : k)).join(', ')})`
        : '';
    throw new MortarError(
      'INVALID_CONFIG',
      `invalid config${path ? ` at "${path}"` : ''}${src !== 'default' ? ` (from ${src})` : ''}: ${issue?.message ?? 'invalid'}${unknownKeys}`,
      {
        details: {
          path,
          source: src,
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      },
    );
  }
  const config = parsed.data as z.infer<S>;
  const sources: Record<string, ConfigSource> = {};
  flatten(config as Record<string, unknown>, '', (p) => {
    sources[p] = setBy.get(p) ?? 'default';
  });
  return { config, sources };
}

function flatten(
  obj: Record<string, unknown>,
  prefix: string,
  emit: (path: string, v: unknown) => void,
): void {
  for (const [k, v] of Object.entries(obj)) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      flatten(v as Record<string, unknown>, p, emit);
    else emit(p, v);
  }
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i] as string;
    const next = cur[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1] as string] = value;
}
