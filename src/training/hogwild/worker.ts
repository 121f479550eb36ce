// A Hogwild worker: SGD passes over its share of each epoch's rows on the shared weights.
import { parentPort, workerData } from 'node:worker_threads';
import type { HogwildInit, HogwildReply, HogwildTask } from './protocol.js';
import { logregSgdPass } from './sparse-logreg.js';

const init = workerData as HogwildInit;
parentPort?.on('message', (t: HogwildTask) => {
  let reply: HogwildReply;
  try {
    reply = { loss: logregSgdPass(init.w, init.x, init.y, init.order, t.start, t.end, t.lr, t.l2) };
  } catch (e) {
    reply = { error: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(reply);
});
parentPort?.postMessage('ready');
