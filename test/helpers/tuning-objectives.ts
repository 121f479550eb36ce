/**
 * Black-box objective programs for the `mortar tune` tests, as plain JavaScript sources written to a
 * temporary folder at test time (so they run with bare `node`, no TypeScript loader per trial).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads argv (--x X --kind K) and MORTAR_PARAMS, prints noise and then its metrics as the last
 * JSON line. MODE=nojson|crash|nan|sleep changes its behaviour.
 */
export const OBJECTIVE_JS =
  "// A black-box objective for the tune CLI tests: reads argv (--x X --kind K) and MORTAR_PARAMS,\n// prints some noise and then its metrics as the last JSON line. MODE changes its behaviour.\nconst args = Object.fromEntries(\n  process.argv.slice(2).reduce((acc, a, i, all) => (i % 2 === 0 ? [...acc, [a.replace(/^--/, ''), all[i + 1]]] : acc), []),\n);\nconst params = JSON.parse(process.env.MORTAR_PARAMS ?? '{}');\nconst mode = process.env.MODE ?? 'ok';\nconst x = Number(args.x);\nif (params.x !== x) {\n  console.error(`argv x=${args.x} but MORTAR_PARAMS x=${params.x}`);\n  process.exit(3);\n}\nconsole.log('training...');\nif (mode !== 'nojson') console.log(JSON.stringify({ progress: 0.5 }));\nif (mode === 'nojson') {\n  console.log('done, no metrics');\n} else if (mode === 'crash') {\n  console.error('Traceback: boom at line 12');\n  process.exit(2);\n} else if (mode === 'nan') {\n  console.log('{\"loss\": NaN}');\n  console.log(JSON.stringify({ loss: 'NaN' }));\n} else if (mode === 'sleep') {\n  setTimeout(() => console.log(JSON.stringify({ loss: x * x })), 60_000);\n} else {\n  const kindPenalty = args.kind === 'b' ? 1 : 0;\n  console.log(JSON.stringify({ loss: (x - 1) ** 2 + kindPenalty, latency_ms: 10 + 10 * Math.abs(x), acc: 1 - Math.abs(x) / 10 }));\n}\n";

/**
 * Logs "start TRIAL WORKER_PID X" to EVAL_LOG, sleeps SLEEP_MS, logs "end ...", prints
 * {"loss": ...}. MODE=hang sleeps for a minute.
 */
export const SLOW_JS =
  "// A slow black-box objective for the multi-worker tests: logs \"start TRIAL WORKER_PID X\" to\n// EVAL_LOG, sleeps SLEEP_MS, logs \"end ...\", prints {\"loss\": ...}. MODE=hang sleeps for a minute.\nimport { appendFileSync } from 'node:fs';\nconst x = Number(process.argv[2]);\nconst log = process.env.EVAL_LOG;\nconst line = (what) => log && appendFileSync(log, `${what} ${process.env.MORTAR_TRIAL} ${process.ppid} ${x}\\n`);\nline('start');\nconst ms = process.env.MODE === 'hang' ? 60_000 : Number(process.env.SLEEP_MS ?? 300);\nsetTimeout(() => {\n  line('end');\n  console.log(JSON.stringify({ loss: (x - 0.3) ** 2 }));\n}, ms);\nprocess.on('SIGTERM', () => process.exit(143));\n";

/** Writes both programs into `dir`; returns their paths. */
export function writeObjectives(dir: string): { objective: string; slow: string } {
  const objective = join(dir, 'objective.mjs');
  const slow = join(dir, 'slow.mjs');
  writeFileSync(objective, OBJECTIVE_JS);
  writeFileSync(slow, SLOW_JS);
  return { objective, slow };
}
