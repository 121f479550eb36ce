/** Finding and reading the ECharts bundle that every report inlines. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MortarError } from '../errors.js';
import { scriptSafe } from './escape.js';

let cached: string | undefined;

/**
 * The source of `echarts/dist/echarts.min.js`, made safe to inline in a `<script>` element.
 * Read once per process.
 *
 * @throws MortarError `DEPENDENCY_MISSING` when the `echarts` package is not installed.
 */
export function echartsSource(): string {
  if (cached !== undefined) return cached;
  let path: string;
  try {
    path = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
  } catch (e) {
    throw new MortarError(
      'DEPENDENCY_MISSING',
      'Rendering a report needs the echarts package, whose bundle is inlined into every report: run `npm install echarts`.',
      { cause: e },
    );
  }
  cached = scriptSafe(readFileSync(path, 'utf8'));
  return cached;
}
