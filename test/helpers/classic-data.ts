// Shared helpers for the classic-model end-to-end tests: the real datasets in ../shared/data
// (read in place, never copied), and a reason to skip when a checkout has no shared folder.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** /work/shared/data, resolved from this file (repo root/../shared/data). */
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** True when the shared dataset folder `name` exists. */
export function hasData(name: string): boolean {
  return existsSync(SHARED_DATA + name);
}

/** MovieLens ratings (tab separated user item rating timestamp), the first `limit` lines. */
export function readMovieLens(file: string, limit = Infinity) {
  const lines = readFileSync(SHARED_DATA + 'ml-100k/' + file, 'utf8')
    .trim()
    .split('\n')
    .slice(0, limit);
  const users = new Float64Array(lines.length);
  const items = new Float64Array(lines.length);
  const ratings = new Float64Array(lines.length);
  lines.forEach((l, k) => {
    const t = l.split('\t');
    users[k] = Number(t[0]);
    items[k] = Number(t[1]);
    ratings[k] = Number(t[2]);
  });
  return { kind: 'ratings' as const, users, items, ratings };
}
