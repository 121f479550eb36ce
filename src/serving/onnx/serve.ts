import type { EngineOptions } from '../engine.js';
import { ServingEngine } from '../engine.js';
import { onnxLoader } from './model.js';
import { OnnxPool, type OnnxPoolOptions } from './pool.js';

/** An engine serving an ONNX model repository, with the pool it runs on. */
export interface OnnxServing {
  readonly engine: ServingEngine;
  readonly pool: OnnxPool;
  /** Drains the engine, then stops the workers. */
  close(): Promise<void>;
}

/**
 * Opens a {@link ServingEngine} over an ONNX model repository on a fresh {@link OnnxPool}
 * (`concurrency` defaults to the number of workers; large JSON request bodies are decoded on the
 * pool's workers unless `decoder` says otherwise).
 * @example const { engine, close } = await openOnnxServing({ root: 'models', workers: 2 });
 */
export async function openOnnxServing(
  opts: Omit<EngineOptions, 'loader'> & OnnxPoolOptions & { readonly root: string },
): Promise<OnnxServing> {
  const pool = new OnnxPool(opts);
  try {
    const engine = await ServingEngine.open({
      ...opts,
      loader: onnxLoader(pool),
      decoder: opts.decoder ?? pool.decoder(),
      concurrency: opts.concurrency ?? pool.size,
    });
    return {
      engine,
      pool,
      async close() {
        await engine.close();
        await pool.close();
      },
    };
  } catch (e) {
    await pool.close();
    throw e;
  }
}
