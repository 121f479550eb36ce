/**
 * A multi-phrase scanner for text LFs: many groups of literal phrases (keyword lists, header
 * names, markup tags) found in **one pass** over a string, so a set of keyword LFs sharing one
 * memoized scan costs one scan per data point instead of one regex per LF.
 *
 * **Semantics (exact).** A group matches at position i when one of its phrases occurs there and
 * the group's anchors hold; the result is the same as testing the regex
 * `B(?:p1|p2|...)A` + `then` with flags `i` (unless `caseSensitive`) and no `u`, where B is `\b`
 * (`before: 'word'`), `^` with the `m` flag (`before: 'line'`) or nothing, and A is `\b`
 * (`after: 'word'`) or nothing. Case folding is ASCII-only, like non-Unicode `/i`; `\b` uses
 * ASCII word characters `[A-Za-z0-9_]`, like non-Unicode `\b`. Phrases are printable ASCII.
 * {@link PhraseMatcher.regexOf} returns that regex (tests compare the two on real text).
 */
import { MortarError } from '../core/errors.js';

/** One named group of phrases. */
export interface PhraseGroupSpec {
  /** Literal phrases (printable ASCII, at least one character each). */
  readonly phrases: readonly string[];
  /** What must hold right before a phrase: `\b` (default), a line start (`^` with `m`), or nothing. */
  readonly before?: 'word' | 'line' | 'none';
  /** What must hold right after it: `\b` (the default when `before` is `word`) or nothing. */
  readonly after?: 'word' | 'none';
  /** A pattern that must match right after the phrase (tested sticky, same case rule). */
  readonly then?: RegExp;
  /** Match case exactly (default false: ASCII case-insensitive). */
  readonly caseSensitive?: boolean;
}

/** What {@link PhraseMatcher.scan} returns, indexed by group (see {@link PhraseMatcher.index}). */
export interface PhraseScan {
  /** Positions at which the group matched (each position counted once per group). */
  readonly counts: Int32Array;
  /** Start of the group's first match, or -1. */
  readonly first: Int32Array;
}

interface Entry {
  readonly group: number;
  /** Phrase char codes, lowercased when case-insensitive. */
  readonly codes: Int32Array;
  readonly ci: boolean;
  /** 0: `\b` before; 1: line start; 2: nothing. */
  readonly before: 0 | 1 | 2;
  readonly afterWord: boolean;
  readonly then: RegExp | undefined;
}

const isWord = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
const lower = (c: number): number => (c >= 65 && c <= 90 ? c | 32 : c);
const upper = (c: number): number => (c >= 97 && c <= 122 ? c & ~32 : c);
const ENCODER = new TextEncoder();
/** 1 for the bytes of ASCII word characters `[A-Za-z0-9_]`. */
const WORD = Uint8Array.from({ length: 256 }, (_, c) => (isWord(c) ? 1 : 0));
/** UTF-16 units of the character a UTF-8 byte starts (0 for continuation bytes). */
const UNITS = Uint8Array.from({ length: 256 }, (_, c) =>
  c < 0x80 ? 1 : c < 0xc0 ? 0 : c < 0xf0 ? 1 : 2,
);
const LINE_TERMINATORS = ['\n', '\r', '\u2028', '\u2029'];
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Bucket lookup tables of one anchor kind. */
class Tables {
  /** (lower(c0) << 7 | lower(c1)) -> bucket, for phrases of 2+ characters; -1 = none. */
  readonly pair = new Int32Array(128 * 128).fill(-1);
  /** lower(c0) -> bucket, for 1-character phrases. */
  readonly single = new Int32Array(128).fill(-1);
  /** tri(c0, c1, c2) -> bucket, for phrases of 3+ characters (a hash: buckets are verified). */
  readonly triple = new Int32Array(TRIPLE_SIZE).fill(-1);
}

const TRIPLE_SIZE = 4096;
/** Hash of three lowercased ASCII codes into the triple table. */
const tri = (a: number, b: number, c: number): number =>
  Math.imul(a * 961 + b * 31 + c, 0x9e3779b1) >>> 20;

/**
 * The hot loop: byte offsets in `buf[0, bytes)` where the start mask says a phrase may begin
 * (`buf[bytes]` must be 0). Kept tiny so the JIT makes it tight.
 */
function candidates(buf: Uint8Array, bytes: number, mask: Uint8Array, out: Int32Array): number {
  let found = 0;
  let pw = 0;
  let c = buf[0]!;
  for (let i = 0; i < bytes; i++) {
    const next = buf[i + 1]!;
    if (mask[(pw << 14) | ((c & 127) << 7) | (next & 127)] !== 0 && c < 128) out[found++] = i;
    pw = WORD[c]!;
    c = next;
  }
  return found;
}

/** A compiled set of phrase groups; build with {@link phraseMatcher}. */
export class PhraseMatcher {
  /** Group names, in definition order (the indexes of {@link PhraseScan}). */
  readonly groups: readonly string[];
  private readonly specs: readonly PhraseGroupSpec[];
  /** Phrases checked in the character loop (`before` word or none)... */
  private readonly anywhere = new Tables();
  /** ...and phrases checked only at line starts (found with indexOf). */
  private readonly lineStart = new Tables();
  /**
   * Indexed by (previous byte is a word char) << 14 | byte << 7 | next byte: non-zero when a
   * character-loop phrase can start with those two bytes there (`\b` before a word char needs a non-word char before it, and
   * the reverse). Most bytes start nothing and cost one table read.
   */
  private readonly startMask = new Uint8Array(2 * 128 * 128);
  private readonly buckets: Entry[][] = [];
  private hasLine = false;
  private hasChar = false;
  private last = new Int32Array(0);
  /** UTF-8 bytes of the text being scanned (grown as needed). */
  private buf = new Uint8Array(0);
  /** Candidate start bytes of the text being scanned. */
  private cands = new Int32Array(0);

  constructor(groups: Readonly<Record<string, PhraseGroupSpec>>) {
    this.groups = Object.keys(groups);
    this.specs = Object.values(groups);
    this.specs.forEach((spec, g) => this.add(g, spec));
  }

  private add(g: number, spec: PhraseGroupSpec): void {
    const name = this.groups[g]!;
    if (!Array.isArray(spec.phrases) || spec.phrases.length === 0) {
      throw new MortarError('INVALID_ARGUMENT', `phrase group "${name}" has no phrases`, {
        details: { group: name },
      });
    }
    const before = spec.before === 'line' ? 1 : spec.before === 'none' ? 2 : 0;
    const afterWord = (spec.after ?? (before === 0 ? 'word' : 'none')) === 'word';
    const ci = spec.caseSensitive !== true;
    const then = spec.then
      ? new RegExp(spec.then.source, (ci ? 'i' : '') + 'y' + spec.then.flags.replace(/[giy]/g, ''))
      : undefined;
    for (const p of spec.phrases) {
      if (typeof p !== 'string' || p.length === 0 || !/^[\x20-\x7e]+$/.test(p)) {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `phrase group "${name}": phrase ${JSON.stringify(p)} must be non-empty printable ASCII`,
          { details: { group: name, phrase: String(p) } },
        );
      }
      const codes = Int32Array.from(p, (ch) => (ci ? lower(ch.charCodeAt(0)) : ch.charCodeAt(0)));
      const tables = before === 1 ? this.lineStart : this.anywhere;
      const c0 = lower(codes[0]!);
      const len = codes.length;
      const table = len === 1 ? tables.single : len === 2 ? tables.pair : tables.triple;
      const key =
        len === 1
          ? c0
          : len === 2
            ? (c0 << 7) | lower(codes[1]!)
            : tri(c0, lower(codes[1]!), lower(codes[2]!));
      let bucket = table[key]!;
      if (bucket < 0) {
        bucket = this.buckets.length;
        this.buckets.push([]);
        table[key] = bucket;
      }
      this.buckets[bucket]!.push({ group: g, codes, ci, before, afterWord, then });
      if (before === 1) {
        this.hasLine = true;
      } else {
        this.hasChar = true;
        const firsts = ci ? [c0, upper(c0)] : [codes[0]!];
        const l1 = len > 1 ? lower(codes[1]!) : -1;
        const seconds =
          len === 1 ? Array.from({ length: 128 }, (_, c) => c) : ci ? [l1, upper(l1)] : [codes[1]!];
        const pws = before === 2 ? [0, 1] : isWord(c0) ? [0] : [1];
        for (const w of pws)
          for (const f of firsts)
            for (const sc of seconds) this.startMask[(w << 14) | (f << 7) | sc] = 1;
      }
    }
  }

  /** The index of a group in {@link PhraseScan}'s arrays. */
  index(group: string): number {
    const g = this.groups.indexOf(group);
    if (g < 0) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `unknown phrase group "${group}"; known: ${this.groups.join(', ')}`,
      );
    }
    return g;
  }

  /** The spec a group was built from. */
  spec(group: string): PhraseGroupSpec {
    return this.specs[this.index(group)]!;
  }

  /** The regex whose `test` a group's `counts > 0` equals (see the module comment). */
  regexOf(group: string): RegExp {
    const spec = this.spec(group);
    const before = spec.before === 'line' ? '^' : spec.before === 'none' ? '' : '\\b';
    const afterWord = (spec.after ?? (before === '\\b' ? 'word' : 'none')) === 'word';
    const alt = spec.phrases.map(escapeRe).join('|');
    const src = `${before}(?:${alt})${afterWord ? '\\b' : ''}${spec.then ? `(?:${spec.then.source})` : ''}`;
    return new RegExp(src, (spec.caseSensitive ? '' : 'i') + (before === '^' ? 'm' : ''));
  }

  /** Scans `text` once; per group, how many positions matched and where the first one starts. */
  scan(text: string): PhraseScan {
    const G = this.groups.length;
    const counts = new Int32Array(G);
    const first = new Int32Array(G).fill(-1);
    if (this.last.length !== G) this.last = new Int32Array(G);
    this.last.fill(-1);
    const n = text.length;
    if (this.hasLine && n > 0) {
      // Line starts: 0 and after every line terminator, found natively with indexOf.
      this.atLineStart(text, 0, counts, first);
      for (const lt of LINE_TERMINATORS) {
        for (let p = text.indexOf(lt); p >= 0 && p + 1 < n; p = text.indexOf(lt, p + 1)) {
          this.atLineStart(text, p + 1, counts, first);
        }
      }
    }
    if (!this.hasChar) return { counts, first };
    // The character loop runs over UTF-8 bytes (encodeInto is native and a typed-array loop is
    // ~3x cheaper than charCodeAt): phrases are ASCII, and every byte of a non-ASCII character
    // is >= 128, a non-word character that starts and continues no phrase, as the character is.
    if (this.buf.length < 3 * n + 2) this.buf = new Uint8Array(3 * n + 64);
    const buf = this.buf;
    const bytes = ENCODER.encodeInto(text, buf).written;
    const { pair, single, triple } = this.anywhere;
    buf[bytes] = 0; // a pair key past the end: no phrase has a NUL second character
    if (this.cands.length < bytes) this.cands = new Int32Array(bytes + 64);
    const cands = this.cands;
    const found = candidates(buf, bytes, this.startMask, cands);
    const ascii = bytes === n;
    // `u` = string index of the character starting at byte i (= i for ASCII text).
    for (let k = 0, j = 0, u = 0; k < found; k++) {
      const i = cands[k]!;
      if (!ascii) for (; j < i; j++) u += UNITS[buf[j]!]!;
      const at = ascii ? i : u;
      const pw = i > 0 ? WORD[buf[i - 1]!]! : 0;
      const lc = lower(buf[i]!);
      const next = buf[i + 1]!;
      if (next < 128 && i + 1 < bytes) {
        const l1 = lower(next);
        const b = pair[(lc << 7) | l1]!;
        if (b >= 0) this.checkBytes(b, text, bytes, i, at, pw, counts, first);
        const next2 = i + 2 < bytes ? buf[i + 2]! : 128;
        if (next2 < 128) {
          const b3 = triple[tri(lc, l1, lower(next2))]!;
          if (b3 >= 0) this.checkBytes(b3, text, bytes, i, at, pw, counts, first);
        }
      }
      const b1 = single[lc]!;
      if (b1 >= 0) this.checkBytes(b1, text, bytes, i, at, pw, counts, first);
    }
    return { counts, first };
  }

  /** Checks the phrases of bucket `b` at byte `i` (string index `at`) of the encoded text. */
  private checkBytes(
    b: number,
    text: string,
    bytes: number,
    i: number,
    at: number,
    prevWord: number,
    counts: Int32Array,
    first: Int32Array,
  ): void {
    const entries = this.buckets[b]!;
    const last = this.last;
    const buf = this.buf;
    for (let e = 0; e < entries.length; e++) {
      const en = entries[e]!;
      const g = en.group;
      if (last[g] === at) continue;
      const codes = en.codes;
      const len = codes.length;
      if (i + len > bytes) continue;
      // The start mask is a union over phrases: check this one's own anchor.
      if (en.before === 0 && prevWord === WORD[codes[0]!]) continue;
      let t = 0;
      if (en.ci) {
        while (t < len && lower(buf[i + t]!) === codes[t]) t++;
      } else {
        while (t < len && buf[i + t] === codes[t]) t++;
      }
      if (t < len) continue;
      if (en.afterWord) {
        const after = i + len < bytes ? buf[i + len]! : -1;
        if (isWord(codes[len - 1]!) === isWord(after)) continue;
      }
      if (en.then) {
        en.then.lastIndex = at + len;
        if (!en.then.test(text)) continue;
      }
      last[g] = at;
      counts[g]!++;
      if (first[g]! < 0 || at < first[g]!) first[g] = at;
    }
  }

  private atLineStart(text: string, i: number, counts: Int32Array, first: Int32Array): void {
    const c = text.charCodeAt(i);
    if (c >= 128) return;
    const lc = lower(c);
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 128;
    if (next < 128) {
      const l1 = lower(next);
      const b = this.lineStart.pair[(lc << 7) | l1]!;
      if (b >= 0) this.checkString(b, text, i, counts, first);
      const next2 = i + 2 < text.length ? text.charCodeAt(i + 2) : 128;
      if (next2 < 128) {
        const b3 = this.lineStart.triple[tri(lc, l1, lower(next2))]!;
        if (b3 >= 0) this.checkString(b3, text, i, counts, first);
      }
    }
    const b1 = this.lineStart.single[lc]!;
    if (b1 >= 0) this.checkString(b1, text, i, counts, first);
  }

  /** Checks the line-start phrases of bucket `b` at string index `i`. */
  private checkString(
    b: number,
    text: string,
    i: number,
    counts: Int32Array,
    first: Int32Array,
  ): void {
    const entries = this.buckets[b]!;
    const last = this.last;
    for (let e = 0; e < entries.length; e++) {
      const en = entries[e]!;
      const g = en.group;
      if (last[g] === i) continue;
      const codes = en.codes;
      const len = codes.length;
      if (i + len > text.length) continue;
      let t = 0;
      if (en.ci) {
        while (t < len && lower(text.charCodeAt(i + t)) === codes[t]) t++;
      } else {
        while (t < len && text.charCodeAt(i + t) === codes[t]) t++;
      }
      if (t < len) continue;
      if (en.afterWord) {
        const after = i + len < text.length ? text.charCodeAt(i + len) : -1;
        if (isWord(codes[len - 1]!) === isWord(after)) continue;
      }
      if (en.then) {
        en.then.lastIndex = i + len;
        if (!en.then.test(text)) continue;
      }
      last[g] = i;
      counts[g]!++;
      if (first[g]! < 0 || i < first[g]!) first[g] = i;
    }
  }
}

/**
 * Compiles groups of phrases into a one-pass {@link PhraseMatcher}.
 * @example
 * const m = phraseMatcher({ money: { phrases: ['free money', 'cash bonus'] }, urls: { phrases: ['http://', 'https://'], before: 'none' } });
 * const s = m.scan(body); // s.counts[m.index('urls')] = number of URLs
 */
export function phraseMatcher(groups: Readonly<Record<string, PhraseGroupSpec>>): PhraseMatcher {
  return new PhraseMatcher(groups);
}
