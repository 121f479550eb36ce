import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MortarError } from '../core/errors.js';
import { readModelConfig, type ModelConfig, type VersionPolicy } from './config.js';

/** One servable version found in a model repository. */
export interface VersionSource {
  readonly version: number;
  /** `<repo>/<model>/<version>/model.onnx`. */
  readonly modelPath: string;
  /** The model-level model.json merged with the version's own (the version's keys win). */
  readonly config: ModelConfig;
  /** Changes whenever model.onnx or either model.json changes (size and mtime). */
  readonly fingerprint: string;
}

/** One model folder of a repository, after its version policy. */
export interface ModelSource {
  readonly name: string;
  readonly dir: string;
  /** The model-level model.json (empty when absent). */
  readonly config: ModelConfig;
  readonly versions: readonly VersionSource[];
  /** Why the folder cannot be served (a bad model.json, no versions), if so. */
  readonly error?: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function stamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return '-';
  }
}

/** The versions a policy keeps out of the available ones (ascending). */
export function applyVersionPolicy(available: readonly number[], policy: VersionPolicy): number[] {
  const sorted = [...available].sort((a, b) => a - b);
  if (policy === 'all') return sorted;
  if ('latest' in policy) return sorted.slice(-policy.latest);
  return sorted.filter((v) => policy.specific.includes(v));
}

/**
 * Scans a model repository: `<root>/<model>/<version>/model.onnx` with optional `model.json` at
 * the model and version levels. A model folder whose model.json has a `selection` serves its
 * members and has no versions of its own. Problems with one model are reported in its `error`;
 * only a missing root throws (NOT_FOUND).
 */
export function scanRepository(root: string, defaultPolicy: VersionPolicy): ModelSource[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new MortarError(
      'NOT_FOUND',
      `model repository ${root} does not exist or is not a folder; pass a folder laid out as <repo>/<model>/<version>/model.onnx`,
      { details: { path: root } },
    );
  }
  const out: ModelSource[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (!NAME.test(name) || !statSync(dir).isDirectory()) continue;
    const modelJson = join(dir, 'model.json');
    let config: ModelConfig = {};
    try {
      if (existsSync(modelJson)) config = readModelConfig(modelJson);
    } catch (e) {
      out.push({ name, dir, config, versions: [], error: (e as Error).message });
      continue;
    }
    if (config.selection) {
      out.push({ name, dir, config, versions: [] });
      continue;
    }
    const available: number[] = [];
    for (const v of readdirSync(dir)) {
      if (/^\d+$/.test(v) && Number(v) > 0 && existsSync(join(dir, v, 'model.onnx'))) {
        available.push(Number(v));
      }
    }
    const policy = config.versionPolicy ?? defaultPolicy;
    const versions: VersionSource[] = [];
    let error: string | undefined;
    for (const v of applyVersionPolicy(available, policy)) {
      const vdir = join(dir, String(v));
      const vjson = join(vdir, 'model.json');
      let vconfig: ModelConfig = {};
      try {
        if (existsSync(vjson)) vconfig = readModelConfig(vjson);
      } catch (e) {
        error = (e as Error).message;
        continue;
      }
      const modelPath = join(vdir, 'model.onnx');
      versions.push({
        version: v,
        modelPath,
        config: { ...config, ...vconfig },
        fingerprint: [stamp(modelPath), stamp(modelJson), stamp(vjson)].join('|'),
      });
    }
    if (versions.length === 0 && error === undefined) {
      error =
        available.length === 0
          ? `${dir} has no version folders with a model.onnx (expected ${dir}/1/model.onnx)`
          : `the version policy ${JSON.stringify(policy)} keeps none of the versions ${available.join(', ')}`;
    }
    out.push({ name, dir, config, versions, ...(error === undefined ? {} : { error }) });
  }
  return out;
}
