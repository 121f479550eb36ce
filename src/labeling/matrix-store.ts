import { MortarError } from '../core/errors.js';
import type { JsonObject } from '../core/json.js';
import type { Store } from '../core/store/index.js';
import type { LabelMatrix } from './matrix.js';
import { LabelMatrixBuilder } from './matrix.js';

/** The collection of label matrix docs (metadata + lineage). */
export const LABEL_MATRICES = 'label-matrices';
const CHUNK_ROWS = 65_536;

/** The journal stream holding a stored matrix's row chunks. */
export function labelMatrixStream(id: string): string {
  return `label-matrices/${id}/rows`;
}

function b64(a: Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}
function unb64(s: string): Int32Array {
  const buf = Buffer.from(s, 'base64');
  const out = new Int32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/**
 * Saves `L` in the store under `id`: row chunks (CSR, base64 int32) in a journal stream, then a
 * doc with the shape, LF names and `meta` (lineage: which LFs, which data). Creating an id twice
 * is a CONFLICT; the doc is written last, so a half-saved matrix is never visible.
 */
export async function saveLabelMatrix(
  store: Store,
  id: string,
  L: LabelMatrix,
  meta: JsonObject = {},
): Promise<void> {
  const records = [];
  for (let s = 0; s < L.n || (s === 0 && L.n === 0); s += CHUNK_ROWS) {
    const e = Math.min(L.n, s + CHUNK_ROWS);
    const base = L.rowPtr[s]!;
    const ptr = L.rowPtr.slice(s, e + 1).map((v) => v - base);
    records.push({
      rows: e - s,
      rowPtr: b64(ptr),
      cols: b64(L.cols.subarray(base, L.rowPtr[e])),
      labels: b64(L.labels.subarray(base, L.rowPtr[e])),
    });
    if (L.n === 0) break;
  }
  await store.append(labelMatrixStream(id), records, { expectedLastSeq: 0 });
  await store.putDoc(
    LABEL_MATRICES,
    id,
    { n: L.n, m: L.m, lfNames: [...L.lfNames], chunks: records.length, meta },
    { expectedVersion: 0 },
  );
}

/**
 * Loads the matrix saved under `id`.
 * @throws NOT_FOUND when there is none.
 */
export async function loadLabelMatrix(
  store: Store,
  id: string,
): Promise<{ matrix: LabelMatrix; meta: JsonObject }> {
  const doc = await store.getDoc(LABEL_MATRICES, id);
  if (!doc) {
    throw new MortarError('NOT_FOUND', `no label matrix "${id}" in ${store.description}`, {
      details: { id },
    });
  }
  const v = doc.value as { n: number; m: number; lfNames: string[]; meta: JsonObject };
  const b = new LabelMatrixBuilder(v.lfNames);
  for (const rec of await store.read(labelMatrixStream(id))) {
    const r = rec.data as { rows: number; rowPtr: string; cols: string; labels: string };
    const ptr = unb64(r.rowPtr);
    const cols = unb64(r.cols);
    const labels = unb64(r.labels);
    for (let i = 0; i < r.rows; i++)
      b.pushSparse(cols.subarray(ptr[i], ptr[i + 1]), labels.subarray(ptr[i], ptr[i + 1]));
  }
  const matrix = b.build();
  if (matrix.n !== v.n)
    throw new MortarError(
      'DATA_INVALID',
      `label matrix "${id}": ${matrix.n} rows stored, doc says ${v.n}`,
    );
  return { matrix, meta: v.meta };
}
