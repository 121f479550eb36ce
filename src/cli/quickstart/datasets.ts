import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MortarError } from '../../core/errors.js';

/**
 * The path of a file shipped by the `vega-datasets` npm package (real data for the quickstart).
 * @throws MortarError DEPENDENCY_MISSING with the install command when the package is absent.
 */
export function vegaDataset(file: string, from: string = import.meta.url): string {
  let root: string;
  try {
    // The package exports only its entry (build/index.js); the data folder sits beside build/.
    root = dirname(dirname(createRequire(from).resolve('vega-datasets')));
  } catch (e) {
    throw new MortarError(
      'DEPENDENCY_MISSING',
      'the quickstart reads real data from the npm package vega-datasets, which is not installed; run `npm install` in the mortar checkout (or `npm install vega-datasets`)',
      { cause: e, details: { package: 'vega-datasets' } },
    );
  }
  const path = join(root, 'data', file);
  if (!existsSync(path)) {
    throw new MortarError(
      'DEPENDENCY_MISSING',
      `vega-datasets has no data/${file} (looked at ${path}); reinstall it with npm install`,
      {
        details: { package: 'vega-datasets', file },
      },
    );
  }
  return path;
}
