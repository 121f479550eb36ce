// Worker thread of the applier pool: loads the LF module once, then applies chunks of points.
import { parentPort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { toMortarError } from '../core/errors.js';
import { FailureTally, applyChunk } from './apply.js';
import { checkLfNames } from './lf.js';
import { loadLfModuleExport } from './lf-module.js';
import type { LabelingFunction } from './types.js';
import type { PoolReply, PoolRequest } from './apply-protocol.js';

const port = parentPort!;
let lfs: LabelingFunction<unknown>[] = [];
let names: string[] = [];
let opts: { cardinality?: number; faultTolerant?: boolean } = {};

port.on('message', (msg: PoolRequest) => {
  void handle(msg);
});

async function handle(msg: PoolRequest): Promise<void> {
  try {
    if (msg.t === 'init') {
      const mod = (await import(pathToFileURL(msg.module).href)) as Record<string, unknown>;
      lfs = loadLfModuleExport(mod, msg.module, msg.exportName);
      names = checkLfNames(lfs);
      opts = { cardinality: msg.cardinality, faultTolerant: msg.faultTolerant };
      port.postMessage({ t: 'ready', names } satisfies PoolReply);
      return;
    }
    const tally = new FailureTally();
    const L = applyChunk(lfs, msg.points, { ...opts, startRow: msg.startRow, names }, tally);
    port.postMessage(
      {
        t: 'done',
        id: msg.id,
        n: L.n,
        rowPtr: L.rowPtr,
        cols: L.cols,
        labels: L.labels,
        failures: tally.snapshot(),
      } satisfies PoolReply,
      [
        L.rowPtr.buffer as ArrayBuffer,
        L.cols.buffer as ArrayBuffer,
        L.labels.buffer as ArrayBuffer,
      ],
    );
  } catch (e) {
    const err = toMortarError(e);
    port.postMessage({
      t: 'error',
      id: msg.t === 'apply' ? msg.id : -1,
      code: err.code,
      message: err.message,
      details: JSON.parse(JSON.stringify(err.details)) as Record<string, unknown>,
    } satisfies PoolReply);
  }
}
