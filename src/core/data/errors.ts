import { createReadStream } from 'node:fs';
import { MortarError, isMortarError } from '../errors.js';
import type { Format } from './types.js';

/** Where in a text file a problem was found (1-based). */
export interface TextPosition {
  /** Physical line, counting the header as line 1. */
  readonly line: number;
  /** Byte offset of the offending byte or record start. */
  readonly byte: number;
}

/**
 * Finds the first invalid UTF-8 byte sequence in `path` by streaming it, or returns undefined.
 * Used after DuckDB reports an encoding error, to name the exact line.
 */
export async function findInvalidUtf8(path: string): Promise<TextPosition | undefined> {
  let line = 1;
  let byte = 0;
  let need = 0; // continuation bytes still expected
  let seqStart = 0;
  let seqLine = 1;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++, byte++) {
      const b = chunk[i] as number;
      if (need > 0) {
        if ((b & 0xc0) !== 0x80) return { line: seqLine, byte: seqStart };
        need--;
        continue;
      }
      if (b === 0x0a) line++;
      if (b < 0x80) continue;
      seqStart = byte;
      seqLine = line;
      if (b >= 0xc2 && b <= 0xdf) need = 1;
      else if (b >= 0xe0 && b <= 0xef) need = 2;
      else if (b >= 0xf0 && b <= 0xf4) need = 3;
      else return { line, byte };
    }
  }
  return need > 0 ? { line: seqLine, byte: seqStart } : undefined;
}

/** A CSV record whose field count differs from the header's. */
export interface RaggedRow extends TextPosition {
  /** 1-based data row (the header is not counted). */
  readonly row: number;
  readonly expected: number;
  readonly found: number;
}

/**
 * Streams a delimited file (RFC 4180 quoting with `"`) and returns the first record whose field
 * count differs from the header's, or undefined when every record has the same width.
 */
export async function findRaggedRow(
  path: string,
  delimiter: string,
): Promise<RaggedRow | undefined> {
  const delim = delimiter.charCodeAt(0);
  let line = 1;
  let recordLine = 1;
  let recordByte = 0;
  let byte = 0;
  let fields = 1;
  let inQuotes = false;
  let empty = true; // record has no characters yet (skips blank lines)
  let expected = -1;
  let row = 0;
  let prevCR = false;
  const endRecord = (): RaggedRow | undefined => {
    if (!empty) {
      if (expected < 0) expected = fields;
      else {
        row++;
        if (fields !== expected)
          return { line: recordLine, byte: recordByte, row, expected, found: fields };
      }
    }
    fields = 1;
    empty = true;
    return undefined;
  };
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++, byte++) {
      const b = chunk[i] as number;
      if (empty && b !== 0x0a && b !== 0x0d) {
        empty = false;
        recordLine = line;
        recordByte = byte;
      }
      if (b === 0x22) inQuotes = !inQuotes;
      else if (!inQuotes && b === delim) fields++;
      else if (b === 0x0a || b === 0x0d) {
        if (b === 0x0a) line++;
        if (b === 0x0d) line++;
        if (b === 0x0a && prevCR) line--; // CRLF counts once
        if (!inQuotes) {
          const r = endRecord();
          if (r) return r;
        }
      }
      prevCR = b === 0x0d;
    }
  }
  return endRecord();
}

const REENCODE =
  're-encode it as UTF-8 (e.g. iconv -f latin1 -t utf-8 IN > OUT), or pass the source encoding';

/**
 * Turns an error DuckDB raised while reading `path` into a MortarError that names the file and,
 * where it can be found, the line/row, plus the fix. For CSV errors it rescans the file to find
 * the exact ragged row or invalid byte, since DuckDB's sniffer errors carry no line.
 */
export async function mapReadError(
  e: unknown,
  path: string,
  format: Format,
  opts: { delimiter?: string } = {},
): Promise<MortarError> {
  if (isMortarError(e)) return e;
  const raw = e instanceof Error ? e.message : String(e);
  const first = raw.split('\n')[0] ?? raw;
  const cause = e;
  if (
    /No files found that match the pattern|No such file or directory|Cannot open file/i.test(raw)
  ) {
    return new MortarError('NOT_FOUND', `data file not found: ${path}`, {
      details: { file: path },
      cause,
    });
  }
  if (format === 'parquet') {
    return new MortarError(
      'DATA_INVALID',
      `${path} is not a readable Parquet file (truncated or corrupt?): ${first.replace(/^[A-Za-z ]+Error: /, '')}. ` +
        'Re-create or re-download the file.',
      { details: { file: path }, cause },
    );
  }
  if (format === 'csv' || format === 'tsv') {
    if (/invalid unicode|not utf-8 encoded/i.test(raw)) {
      const pos = await findInvalidUtf8(path).catch(() => undefined);
      const where = pos ? `, line ${pos.line} (byte ${pos.byte})` : lineFrom(raw);
      return new MortarError(
        'DATA_INVALID',
        `${path}${where}: the file is not valid UTF-8; ${REENCODE}`,
        {
          details: { file: path, ...(pos ?? {}) },
          cause,
        },
      );
    }
    const ragged = await findRaggedRow(
      path,
      opts.delimiter ?? (format === 'tsv' ? '\t' : ','),
    ).catch(() => undefined);
    if (ragged) {
      return new MortarError(
        'DATA_INVALID',
        `${path}, line ${ragged.line} (data row ${ragged.row}): expected ${ragged.expected} fields ` +
          `like the header, found ${ragged.found}. Fix or remove that row (quote fields that contain the delimiter).`,
        { details: { file: path, ...ragged }, cause },
      );
    }
    const pos = await findInvalidUtf8(path).catch(() => undefined);
    if (pos) {
      return new MortarError(
        'DATA_INVALID',
        `${path}, line ${pos.line}: the file is not valid UTF-8; ${REENCODE}`,
        {
          details: { file: path, ...pos },
          cause,
        },
      );
    }
  }
  if (format === 'json' || format === 'ndjson') {
    if (/invalid unicode|utf-?8|encod/i.test(raw)) {
      const pos = await findInvalidUtf8(path).catch(() => undefined);
      return new MortarError(
        'DATA_INVALID',
        `${path}${pos ? `, line ${pos.line}` : ''}: the file is not valid UTF-8; ${REENCODE}`,
        { details: { file: path, ...(pos ?? {}) }, cause },
      );
    }
  }
  const line = /\bline:? (\d+)/i.exec(raw)?.[1];
  return new MortarError(
    'DATA_INVALID',
    `${path}${line ? `, line ${line}` : ''}: cannot read as ${format}: ${first.replace(/^[A-Za-z ]+Error: /, '')}`,
    { details: { file: path, format, ...(line ? { line: Number(line) } : {}) }, cause },
  );
}

function lineFrom(raw: string): string {
  const line = /\bline:? (\d+)/i.exec(raw)?.[1];
  return line ? `, line ${line}` : '';
}
