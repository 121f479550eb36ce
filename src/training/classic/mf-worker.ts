/**
 * A Hogwild worker for matrix factorization: runs SGD passes over its shard of the shared
 * shuffled order, updating the shared factor and bias arrays without locks (Recht et al. 2011).
 * Protocol: workerData = {@link MfWorkerInit}; the worker first posts `'ready'`, then each message {@link MfWorkerTask} is answered
 * with {@link MfWorkerReply}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { mfSgdEpoch } from './mf-kernel.js';
import type { MfWorkerInit, MfWorkerReply, MfWorkerTask } from './mf-hogwild.js';

const init = workerData as MfWorkerInit;
const f64 = (b: SharedArrayBuffer): Float64Array => new Float64Array(b);
const params = {
  mean: init.mean,
  p: f64(init.p),
  q: f64(init.q),
  userBias: f64(init.userBias),
  itemBias: f64(init.itemBias),
};
const u = new Int32Array(init.u);
const i = new Int32Array(init.i);
const r = f64(init.r);
const order = new Int32Array(init.order);

parentPort!.on('message', (t: MfWorkerTask) => {
  let reply: MfWorkerReply;
  try {
    const sse = mfSgdEpoch(
      params,
      init.rank,
      u,
      i,
      r,
      order.subarray(t.start, t.end),
      t.lr,
      init.reg,
      init.regBias,
    );
    reply = { sse };
  } catch (e) {
    reply = { error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
parentPort!.postMessage('ready');
