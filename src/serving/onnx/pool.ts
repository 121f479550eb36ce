import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MortarError } from '../../core/errors.js';
import type { DecodedRequest, RequestDecoder } from '../kserve/decoder.js';
import type { TensorSpec } from '../model.js';
import type { Tensor } from '../tensor.js';
import type { PoolReply, PoolRequest, WireTensor } from './protocol.js';

/** Options for {@link OnnxPool}. */
export interface OnnxPoolOptions {
  /** Worker threads that run sessions (each holds a session of every loaded model); default 1. */
  readonly workers?: number;
  /** onnxruntime intra-op threads per session; default 1. */
  readonly intraOpThreads?: number;
}

interface Pending {
  resolve(r: PoolReply): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  busy: boolean;
  pending: Map<number, Pending>;
}

interface RunTask {
  key: string;
  inputs: WireTensor[];
  outputs: string[] | null;
  resolve(r: WireTensor[]): void;
  reject(e: Error): void;
}

/**
 * A pool of worker threads running onnxruntime sessions, off the event loop. Each worker runs one
 * batch at a time; runs wait in a FIFO queue for a free worker. Input and output tensors move
 * between threads as transferred ArrayBuffers (no copies): after {@link run} the inputs'
 * buffers are detached when they were whole buffers, and copied once otherwise.
 *
 * onnxruntime-node is imported by the workers on the first {@link load}, never by this thread.
 */
export class OnnxPool {
  readonly size: number;
  readonly intraOpThreads: number;
  private readonly slots: Slot[] = [];
  private readonly queue: RunTask[] = [];
  private readonly models = new Map<string, string>();
  private nextId = 1;
  private closed = false;

  constructor(opts: OnnxPoolOptions = {}) {
    this.size = Math.max(1, Math.floor(opts.workers ?? 1));
    this.intraOpThreads = Math.max(1, Math.floor(opts.intraOpThreads ?? 1));
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn());
  }

  /** Runs waiting for a free worker. */
  get queued(): number {
    return this.queue.length;
  }

  /** Loads `path` under `key` in every worker; resolves with the model's inputs and outputs. */
  async load(key: string, path: string): Promise<{ inputs: TensorSpec[]; outputs: TensorSpec[] }> {
    this.assertOpen();
    const replies = await Promise.all(
      this.slots.map((s) =>
        this.call(s, { t: 'load', id: 0, key, path, intraOpThreads: this.intraOpThreads }),
      ),
    );
    this.models.set(key, path);
    const r = replies[0];
    if (r?.t !== 'loaded') throw new MortarError('INTERNAL', `loading ${path} gave no metadata`);
    return { inputs: r.inputs, outputs: r.outputs };
  }

  /** Drops the session `key` in every worker. */
  async unload(key: string): Promise<void> {
    this.models.delete(key);
    if (this.closed) return;
    await Promise.all(this.slots.map((s) => this.call(s, { t: 'unload', id: 0, key })));
  }

  /** Runs model `key` on `inputs` in the next free worker. */
  run(key: string, inputs: WireTensor[], outputs: string[] | null): Promise<WireTensor[]> {
    this.assertOpen();
    return new Promise((resolve, reject) => {
      this.queue.push({ key, inputs, outputs, resolve, reject });
      this.dispatch();
    });
  }

  /**
   * Decodes a KServe V2 request body on a worker (the one with the fewest calls outstanding; a
   * decode does not wait for a worker's batch slot). The body's buffer is transferred when the
   * body spans all of it, else copied once. Resolves like `decodeInferRequest`, with the inputs'
   * cache hash when `hash` is set; a bad body rejects with the same INVALID_ARGUMENT.
   */
  async decode(
    body: Uint8Array,
    headerLength: number | undefined,
    hash: boolean,
  ): Promise<DecodedRequest> {
    this.assertOpen();
    let bytes = body;
    if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength) {
      bytes = bytes.slice();
    }
    let slot = this.slots[0]!;
    for (const s of this.slots) {
      const load = s.pending.size + (s.busy ? 1 : 0);
      if (load < slot.pending.size + (slot.busy ? 1 : 0)) slot = s;
    }
    const r = await this.call(
      slot,
      { t: 'decode', id: 0, body: bytes, headerLength: headerLength ?? null, hash },
      bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [],
    );
    if (r.t !== 'decoded') throw new MortarError('INTERNAL', `unexpected reply ${r.t}`);
    const w = r.request;
    const inputs: Record<string, Tensor> = {};
    for (const t of w.inputs)
      inputs[t.name] = { datatype: t.datatype, shape: t.shape, data: t.data };
    return {
      ...(w.id === undefined ? {} : { id: w.id }),
      parameters: w.parameters,
      inputs,
      ...(w.outputs ? { outputs: w.outputs } : {}),
      binaryOutputs: w.binaryOutputs,
      ...(w.inputHash === undefined ? {} : { inputHash: w.inputHash }),
    };
  }

  /** A {@link RequestDecoder} that decodes on this pool's workers (see {@link decode}). */
  decoder(): RequestDecoder {
    return { decode: (body, headerLength, hash) => this.decode(body, headerLength, hash) };
  }

  /** Stops every worker; runs waiting or in flight reject with FAILED_PRECONDITION. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new MortarError('FAILED_PRECONDITION', 'the ONNX worker pool was closed');
    for (const t of this.queue.splice(0)) t.reject(err);
    await Promise.all(
      this.slots.map(async (s) => {
        for (const p of s.pending.values()) p.reject(err);
        s.pending.clear();
        await s.worker.terminate();
      }),
    );
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new MortarError('FAILED_PRECONDITION', 'the ONNX worker pool is closed');
    }
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.busy) continue;
      const task = this.queue.shift()!;
      slot.busy = true;
      const transfer: ArrayBuffer[] = [];
      const inputs = task.inputs.map((t) => {
        let data = t.data;
        const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
        if (!whole || data.buffer instanceof SharedArrayBuffer) data = data.slice();
        transfer.push(data.buffer as ArrayBuffer);
        return { ...t, data };
      });
      this.call(
        slot,
        { t: 'run', id: 0, key: task.key, inputs, outputs: task.outputs },
        transfer,
      ).then(
        (r) => {
          slot.busy = false;
          this.dispatch();
          if (r.t === 'result') task.resolve(r.outputs);
          else task.reject(new MortarError('INTERNAL', `unexpected reply ${r.t}`));
        },
        (e: Error) => {
          slot.busy = false;
          this.dispatch();
          task.reject(e);
        },
      );
    }
  }

  private call(slot: Slot, msg: PoolRequest, transfer: ArrayBuffer[] = []): Promise<PoolReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      // Keep the process alive only while a worker owes an answer.
      if (slot.pending.size === 1) slot.worker.ref();
      try {
        slot.worker.postMessage({ ...msg, id }, transfer);
      } catch (e) {
        // e.g. an input whose buffer was already transferred (detached) by an earlier call.
        slot.pending.delete(id);
        if (slot.pending.size === 0) slot.worker.unref();
        reject(
          new MortarError(
            'INVALID_ARGUMENT',
            `cannot send the tensors to a worker: ${(e as Error).message}`,
          ),
        );
      }
    });
  }

  private spawn(): Slot {
    const slot: Slot = { worker: newWorker(), busy: false, pending: new Map() };
    slot.worker.unref();
    slot.worker.on('message', (r: PoolReply) => {
      const p = slot.pending.get(r.id);
      if (!p) return;
      slot.pending.delete(r.id);
      if (slot.pending.size === 0) slot.worker.unref();
      if (r.t === 'error') {
        p.reject(new MortarError(r.code, r.message, r.details ? { details: r.details } : {}));
      } else p.resolve(r);
    });
    let dead = false;
    const die = (why: string) => {
      if (this.closed || dead) return;
      dead = true;
      const err = new MortarError('INTERNAL', `an ONNX worker thread stopped: ${why}`);
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
      // Replace the worker and reload every model into the new one.
      const i = this.slots.indexOf(slot);
      const fresh = this.spawn();
      if (i >= 0) this.slots[i] = fresh;
      fresh.busy = true;
      void Promise.all(
        [...this.models].map(([key, path]) =>
          this.call(fresh, { t: 'load', id: 0, key, path, intraOpThreads: this.intraOpThreads }),
        ),
      )
        .catch(() => undefined)
        .finally(() => {
          fresh.busy = false;
          this.dispatch();
        });
    };
    slot.worker.on('error', (e) => die(e.message));
    slot.worker.on('exit', (code) => die(`exit code ${code}`));
    return slot;
  }
}

function newWorker(): Worker {
  const here = import.meta.url;
  const js = new URL('./worker.js', here);
  if (!here.endsWith('.ts') && existsSync(fileURLToPath(js))) return new Worker(js);
  // From TypeScript sources (tests, tsx): Node 20 applies no loader to a worker's entry module,
  // so a tiny bootstrap registers tsx in the worker, then imports the .ts entry.
  const api = createRequire(here)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const entry = new URL('./worker.ts', here).href;
  const code =
    `import(${JSON.stringify(pathToFileURL(api).href)})` +
    `.then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true });
}
