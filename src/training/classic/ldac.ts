import { MortarError } from '../../core/errors.js';
import { readText } from './libsvm.js';
import { CsrMatrix } from './sparse.js';
import type { CorpusDataset } from './types.js';

/** Options of the LDA-C reader. */
export interface LdacOptions {
  /** Name used in error messages (the file path). */
  readonly source?: string;
  /** The vocabulary (one word per id); fixes the number of columns. */
  readonly vocab?: readonly string[];
}

/**
 * Parses Blei's LDA-C corpus format: one document per line, `N id:count id:count ...` where N is
 * the number of distinct words that follow, ids are 0-based word ids and counts positive integers.
 *
 * @example
 * parseLdac('2 0:1 4:3\n1 2:2\n', { vocab: ['a', 'b', 'c', 'd', 'e'] }).docs.nnz; // 3
 */
export function parseLdac(
  text: string,
  options: LdacOptions = {},
): CorpusDataset & { docs: CsrMatrix } {
  const source = options.source ?? 'LDA-C input';
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  let nDocs = 0;
  let maxId = -1;
  const lines = text.split('\n');
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln]!.trim();
    if (line === '') continue;
    const bad = (what: string): MortarError =>
      new MortarError(
        'DATA_INVALID',
        `${source}, line ${ln + 1}: ${what} (expected "N id:count ...")`,
        {
          details: { file: source, line: ln + 1 },
        },
      );
    const tokens = line.split(/\s+/);
    const n = Number(tokens[0]);
    if (!Number.isInteger(n) || n < 0) throw bad(`"${tokens[0]}" is not a word count`);
    if (n !== tokens.length - 1)
      throw bad(`says ${n} distinct words but lists ${tokens.length - 1}`);
    for (let t = 1; t < tokens.length; t++) {
      const tok = tokens[t]!;
      const colon = tok.indexOf(':');
      const id = Number(tok.slice(0, colon));
      const c = Number(tok.slice(colon + 1));
      if (colon <= 0 || !Number.isInteger(id) || id < 0) throw bad(`"${tok}" is not id:count`);
      if (!Number.isInteger(c) || c <= 0) throw bad(`count in "${tok}" is not a positive integer`);
      if (id > maxId) maxId = id;
      rows.push(nDocs);
      cols.push(id);
      vals.push(c);
    }
    nDocs++;
  }
  const vocab = options.vocab;
  const width = vocab ? vocab.length : maxId + 1;
  if (maxId >= width) {
    throw new MortarError(
      'DATA_INVALID',
      `${source}: word id ${maxId} is outside the ${width}-word vocabulary (wrong vocab file?)`,
      { details: { file: source, wordId: maxId, vocabSize: width } },
    );
  }
  const docs = CsrMatrix.fromTriplets(nDocs, width, rows, cols, vals);
  return vocab ? { kind: 'corpus', docs, vocab } : { kind: 'corpus', docs };
}

/** Reads an LDA-C corpus and (optionally) its vocabulary file, one word per line. */
export async function readLdac(
  path: string,
  vocabPath?: string,
): Promise<CorpusDataset & { docs: CsrMatrix }> {
  const vocab =
    vocabPath === undefined
      ? undefined
      : (await readText(vocabPath)).split('\n').map((w) => w.trim());
  if (vocab && vocab[vocab.length - 1] === '') vocab.pop();
  return parseLdac(await readText(path), vocab ? { source: path, vocab } : { source: path });
}

/**
 * Builds a corpus from raw texts: lower-cased word tokens (letters, digits, apostrophes inside
 * words) of at least `minLength` characters, minus `stopWords`. With `vocab`, unknown words are
 * dropped (use the training corpus's vocab for held-out texts).
 */
export function corpusFromTexts(
  texts: readonly string[],
  options: { vocab?: readonly string[]; stopWords?: ReadonlySet<string>; minLength?: number } = {},
): CorpusDataset & { docs: CsrMatrix; vocab: readonly string[] } {
  const fixed = options.vocab !== undefined;
  const vocab: string[] = options.vocab ? [...options.vocab] : [];
  const ids = new Map(vocab.map((w, i) => [w, i]));
  const minLength = options.minLength ?? 2;
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  texts.forEach((text, d) => {
    for (const m of (text ?? '').toLowerCase().matchAll(/[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu)) {
      const w = m[0];
      if (w.length < minLength || options.stopWords?.has(w)) continue;
      let id = ids.get(w);
      if (id === undefined) {
        if (fixed) continue;
        id = vocab.length;
        vocab.push(w);
        ids.set(w, id);
      }
      rows.push(d);
      cols.push(id);
      vals.push(1);
    }
  });
  return {
    kind: 'corpus',
    docs: CsrMatrix.fromTriplets(texts.length, vocab.length, rows, cols, vals),
    vocab,
  };
}
