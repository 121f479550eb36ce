/**
 * A child process that writes to a Mortar store, for test/store-processes.test.ts.
 * Run: node --import tsx test/helpers/store-writer.ts '<json config>'
 *
 * Modes:
 * - `concurrent`: opens the store, prints `ready`, waits for `go` on stdin, then appends `count`
 *   batches (sizes 1,2,3,4 repeating) of `{ w, i, j }` to `proc/shared` and one record per batch
 *   to `proc/w<id>`, does 10 compare-and-set increments of doc `proc/counter`, prints `done`.
 * - `crash`: opens the store, prints `ready`, then loops forever appending batches of `batch`
 *   large records `{ round, b, j, of, pad }` to `crash/journal` and writing doc `crash/latest`,
 *   printing `committed <b> <firstSeq> <lastSeq>` and `doc <b> <version>` after each commit
 *   returns. The test SIGKILLs it.
 * Lines go to stdout (a pipe: synchronous on Linux), so a printed line means committed.
 */
import { createInterface } from 'node:readline';
import { isMortarError } from '../../src/core/errors.js';
import { openStore } from '../../src/core/store/index.js';

interface Config {
  readonly url: string;
  readonly cwd: string;
  readonly mode: 'concurrent' | 'crash';
  readonly id: number;
  readonly count?: number;
  readonly batch?: number;
  readonly round?: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const store = await openStore(config.url, { cwd: config.cwd });
const say = (line: string) => process.stdout.write(`${line}\n`);
say('ready');

if (config.mode === 'concurrent') {
  await new Promise<void>((resolve) => {
    const rl = createInterface({ input: process.stdin });
    rl.on('line', (l) => {
      if (l.trim() === 'go') {
        rl.close();
        process.stdin.destroy(); // an open stdin pipe would keep this process alive
        resolve();
      }
    });
  });
  const count = config.count ?? 50;
  for (let i = 0; i < count; i++) {
    const batch = Array.from({ length: (i % 4) + 1 }, (_, j) => ({ w: config.id, i, j }));
    await store.append('proc/shared', batch);
    await store.append(`proc/w${config.id}`, [i]);
  }
  for (let k = 0; k < 10; k++) {
    for (;;) {
      const d = await store.getDoc('proc', 'counter');
      try {
        await store.putDoc('proc', 'counter', ((d?.value as number | undefined) ?? 0) + 1, {
          expectedVersion: d?.version ?? 0,
        });
        break;
      } catch (e) {
        if (!isMortarError(e, 'CONFLICT')) throw e;
      }
    }
  }
  await store.close();
  say('done');
} else {
  const size = config.batch ?? 200;
  const pad = 'p'.repeat(1000);
  for (let b = 1; ; b++) {
    const batch = Array.from({ length: size }, (_, j) => ({
      round: config.round ?? 0,
      b,
      j,
      of: size,
      pad,
    }));
    say(`begin ${b}`);
    const r = await store.append('crash/journal', batch);
    say(`committed ${b} ${r.firstSeq} ${r.lastSeq}`);
    const d = await store.putDoc('crash', 'latest', {
      round: config.round ?? 0,
      b,
      lastSeq: r.lastSeq,
      pad,
    });
    say(`doc ${b} ${d.version}`);
  }
}
