import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMortarError } from '../errors.js';
import type { Report } from './model.js';
import { renderReport } from './render.js';
import { writeReport } from './write.js';

const doc: Report = {
  title: 'T',
  sections: [{ title: 'S', blocks: [{ kind: 'text', text: 'hello' }] }],
};

describe('writeReport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mortar-write-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the parent directories, writes the rendered report and leaves no temp file', async () => {
    const path = join(dir, 'a', 'b', 'report.html');
    expect(await writeReport(path, doc)).toBe(path);
    expect(await readFile(path, 'utf8')).toBe(renderReport(doc));
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['report.html']);
  });

  it('replaces an existing report', async () => {
    const path = join(dir, 'report.html');
    await writeFile(path, 'old');
    await writeReport(path, doc);
    expect(await readFile(path, 'utf8')).toContain('<p>hello</p>');
  });

  it('fails with INVALID_ARGUMENT naming the path when it cannot write, cleaning up', async () => {
    await writeFile(join(dir, 'file'), 'x');
    const path = join(dir, 'file', 'report.html'); // parent is a file
    const err = await writeReport(path, doc).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isMortarError(err, 'INVALID_ARGUMENT')).toBe(true);
    expect((err as Error).message).toContain(`cannot write report to ${path}`);
    expect(await readdir(dir)).toEqual(['file']);
  });

  it('writes nothing for an invalid report', async () => {
    const bad = {
      title: 'T',
      sections: [{ title: 'S', blocks: [{ kind: 'nope' }] }],
    } as unknown as Report;
    await expect(writeReport(join(dir, 'r.html'), bad)).rejects.toThrow(/unknown block kind/);
    expect(await readdir(dir)).toEqual([]);
  });
});
