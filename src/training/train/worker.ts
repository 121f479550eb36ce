// A data-parallel training worker: builds a replica of the network on its own engine and
// answers one gradient shard per message (see parallel.ts). Weights and gradients travel through
// SharedArrayBuffers; messages carry only row indices and results.
import { parentPort, workerData } from 'node:worker_threads';
import { Rng } from '../../core/rng.js';
import { loadEngine } from '../../core/tensor/index.js';
import { NetworkModel } from '../models/model.js';
import { runRows } from './step.js';
import type { WorkerInit, WorkerReply, WorkerTask } from './worker-protocol.js';

const init = workerData as WorkerInit;
const port = parentPort;
if (port) {
  const engine = await loadEngine({ module: init.module });
  const model = NetworkModel.create(engine, init.recipe, 0);
  const named = model.net.namedParams().map((p) => p.param);
  const trainable = model.net.trainableParams();
  port.on('message', (task: WorkerTask) => {
    let reply: WorkerReply;
    try {
      let o = 0;
      for (const p of named) {
        p.value.set(init.weights.subarray(o, o + p.value.size));
        o += p.value.size;
      }
      model.net.zeroGrad();
      reply = runRows(
        model,
        init.data,
        task.idx,
        true,
        Rng.fromState(task.rng as [number, number, number, number]),
      );
      o = 0;
      for (const p of trainable) {
        if (p.grad && !p.isFresh) init.grads.set(p.grad.data, o);
        else init.grads.fill(0, o, o + p.value.size);
        o += p.value.size;
      }
    } catch (e) {
      reply = { error: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(reply);
  });
  port.postMessage('ready');
}
