import { extname } from 'node:path';
import { MortarError } from '../errors.js';
import { FORMATS, type Format } from './types.js';

const BY_EXTENSION: Readonly<Record<string, Format>> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.arrow': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
};

/**
 * The format of `path`: `explicit` when given, else from the extension (`.csv .tsv .json .ndjson
 * .jsonl .parquet .arrow .feather .ipc`). Throws UNSUPPORTED naming the fix otherwise.
 */
export function detectFormat(path: string, explicit?: string): Format {
  if (explicit !== undefined) {
    if ((FORMATS as readonly string[]).includes(explicit)) return explicit as Format;
    throw new MortarError(
      'INVALID_ARGUMENT',
      `unknown data format "${explicit}"; use one of: ${FORMATS.join(', ')}`,
      { details: { format: explicit } },
    );
  }
  const ext = extname(path.replace(/\.(gz|zst)$/i, '')).toLowerCase();
  const f = BY_EXTENSION[ext];
  if (f) return f;
  throw new MortarError(
    'UNSUPPORTED',
    `${path}: cannot tell the data format from the extension "${ext || '(none)'}"; ` +
      `name the format explicitly (--format ${FORMATS.join('|')})`,
    { details: { file: path } },
  );
}
