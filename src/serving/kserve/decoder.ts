import { PredictionCache } from '../cache.js';
import { decodeInferRequest, type InferRequest } from './codec.js';

/** A decoded request and, when asked for, the hash of its inputs. */
export interface DecodedRequest extends InferRequest {
  /** {@link PredictionCache.inputHash} of `inputs` (when `hash` was asked for). */
  readonly inputHash?: string;
}

/**
 * Decodes KServe V2 request bodies for `ServingEngine.inferBody`, on the calling thread or on
 * another one (the ONNX worker pool's decoder parses large JSON bodies on its workers).
 *
 * Contract:
 * - `decode(body, headerLength, hash)` resolves with what `decodeInferRequest(body, headerLength)`
 *   returns: equal ids, parameters, outputs and tensors (data type, shape and values); it rejects
 *   with the same MortarError (code INVALID_ARGUMENT, same message) for a bad body. It never
 *   throws synchronously.
 * - With `hash`, `inputHash` is `PredictionCache.inputHash(inputs)`; without, it may be absent.
 * - It takes ownership of `body`'s buffer (may transfer it to another thread); the caller must
 *   not use `body` afterwards. Tensors it returns are owned by the caller.
 */
export interface RequestDecoder {
  decode(
    body: Uint8Array,
    headerLength: number | undefined,
    hash: boolean,
  ): Promise<DecodedRequest>;
}

/** Decodes `body` on this thread (what worker decoders do on theirs). */
export function decodeWithHash(
  body: Uint8Array,
  headerLength: number | undefined,
  hash: boolean,
): DecodedRequest {
  const req = decodeInferRequest(body, headerLength);
  return hash ? { ...req, inputHash: PredictionCache.inputHash(req.inputs) } : req;
}

/** The {@link RequestDecoder} that decodes on the calling thread. */
export const inlineDecoder: RequestDecoder = {
  decode(body, headerLength, hash) {
    try {
      return Promise.resolve(decodeWithHash(body, headerLength, hash));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  },
};
