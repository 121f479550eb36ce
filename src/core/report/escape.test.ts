import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript, scriptSafe } from './escape.js';

describe('escapeHtml', () => {
  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
  it('leaves other text alone', () => {
    expect(escapeHtml('naïve – ok 100%')).toBe('naïve – ok 100%');
  });
});

describe('jsonForScript', () => {
  const nasty = { s: '</script><script>alert(1)</script><!-- & \u2028\u2029 >' };
  it('cannot close a script element or open a comment', () => {
    const json = jsonForScript(nasty);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(json).toContain('\\u003c/script\\u003e');
  });
  it('parses back to the same value', () => {
    expect(JSON.parse(jsonForScript(nasty))).toEqual(nasty);
  });
  it('writes null for values JSON cannot hold', () => {
    expect(jsonForScript(undefined)).toBe('null');
  });
});

describe('scriptSafe', () => {
  it('breaks </script and <!-- sequences, keeping their meaning in string literals', () => {
    const src = 'var a = "</script>"; var b = "<!--";';
    const safe = scriptSafe(src);
    expect(safe).not.toMatch(/<\/script|<!--/i);
    const run = new Function(`${safe}; return [a, b];`) as () => string[];
    expect(run()).toEqual(['</script>', '<!--']);
  });
});
