// Worker thread of readBatches' parallel Parquet mode (see parallel.ts). Each worker owns one
// single-threaded DuckDB, streams the file rows of one task at a time
// (`WHERE file_row_number >= start AND file_row_number < end`: DuckDB skips the row groups
// outside the range), decodes them with the same sinks as the sequential reader, and posts each
// batch with its buffers transferred. It stops producing while `window` posted batches are
// unconsumed, so memory stays bounded however far ahead it runs.
import { parentPort } from 'node:worker_threads';
import type { DuckDBResult } from '@duckdb/node-api';
import { decodeStream, planFor } from './decode.js';
import { openEngine, type Engine } from './duckdb.js';
import {
  toWire,
  toWireError,
  type ReadJob,
  type WorkerReply,
  type WorkerRequest,
} from './parallel-protocol.js';

const port = parentPort;
if (!port) throw new Error('read-worker.ts runs as a worker thread');

let engine: { key: string; engine: Engine } | undefined;
let queue: Promise<void> = Promise.resolve();
/** Per read: pieces posted and pieces the reader says it consumed. */
let readId = -1;
let sent = 0;
let consumed = 0;
let cancelledRead = -1;
let wake: (() => void) | undefined;

function post(msg: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(msg, transfer);
}

function poke(): void {
  const w = wake;
  wake = undefined;
  w?.();
}

async function engineFor(job: ReadJob): Promise<Engine> {
  const key = JSON.stringify([job.memoryLimit, job.tempDirectory]);
  if (engine?.key !== key) {
    engine?.engine.close();
    engine = undefined;
    const opened = await openEngine({
      threads: 1,
      memoryLimit: job.memoryLimit,
      tempDirectory: job.tempDirectory,
    });
    engine = { key, engine: opened };
  }
  return engine.engine;
}

async function runTask(m: Extract<WorkerRequest, { t: 'task' }>): Promise<void> {
  if (m.readId !== readId) {
    readId = m.readId;
    sent = 0;
    consumed = 0;
  }
  const cancelled = () => cancelledRead === m.readId;
  const { job } = m;
  try {
    if (!cancelled()) {
      const conn = (await engineFor(job)).conn;
      const result: DuckDBResult = await conn.stream(
        `SELECT ${job.projection} FROM ${job.src} ` +
          `WHERE file_row_number >= ${m.start} AND file_row_number < ${m.end}`,
      );
      const sinks = job.names.map((name, i) =>
        planFor(
          result.columnTypeId(i),
          { file: job.path, column: name },
          job.int64,
          job.exact[i],
        ).sink(job.batchRows),
      );
      const batches = decodeStream(result, sinks, {
        batchRows: job.batchRows,
        firstRows: job.batchRows - (m.start % job.batchRows),
        rowBase: m.start,
        fail: (e) => Promise.resolve(e),
      });
      for await (const b of batches) {
        if (cancelled()) break;
        const wire = toWire(b.columns);
        post(
          { t: 'piece', readId: m.readId, id: m.id, numRows: b.numRows, columns: wire.columns },
          wire.transfer,
        );
        sent++;
        while (sent - consumed >= job.window && !cancelled()) {
          await new Promise<void>((resolve) => (wake = resolve));
        }
        if (cancelled()) break;
      }
    }
    post({ t: 'done', readId: m.readId, id: m.id });
  } catch (e) {
    post({ t: 'error', readId: m.readId, id: m.id, error: toWireError(e) });
  }
}

port.on('message', (m: WorkerRequest) => {
  switch (m.t) {
    case 'task':
      queue = queue.then(() => runTask(m));
      break;
    case 'credit':
      if (m.readId === readId) {
        consumed = Math.max(consumed, m.consumed);
        poke();
      }
      break;
    case 'cancel':
      cancelledRead = m.readId;
      poke();
      break;
    case 'end':
      queue = queue.then(() => {
        engine?.engine.close();
        engine = undefined;
      });
      break;
  }
});
