/** Writing a rendered report to disk, atomically. */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { MortarError } from '../errors.js';
import type { Report } from './model.js';
import { renderReport, type RenderOptions } from './render.js';

/**
 * Renders `report` and writes it to `path`, creating the parent directory. The file appears
 * whole or not at all: the HTML goes to a temporary file beside it, which is then renamed over
 * `path`. Returns the absolute path written.
 *
 * @throws MortarError `INVALID_ARGUMENT` when the report is invalid or `path` cannot be written.
 * @example await writeReport('.mortar/reports/validation.html', myReport);
 */
export async function writeReport(
  path: string,
  report: Report,
  options: RenderOptions = {},
): Promise<string> {
  const html = renderReport(report, options);
  const target = resolve(path);
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(temp, html, 'utf8');
    await rename(temp, target);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    const reason = e instanceof Error ? e.message : String(e);
    throw new MortarError(
      'INVALID_ARGUMENT',
      `cannot write report to ${target}: ${reason}; check that the directory is writable and the path is not a directory`,
      { cause: e, details: { path: target } },
    );
  }
  return target;
}
