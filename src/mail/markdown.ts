// The one Markdown escaper (pure): every piece of mail, patch or document text that reaches a
// Markdown string (hovers, reply markers, the Explain page) goes through one of these three forms,
// so that no content can become formatting. Untrusted text is never formatting:
// - inline text: every ASCII punctuation character is backslash-escaped (CommonMark allows it for
//   all of them), so no emphasis, link, image, raw HTML, entity, heading, list, table or fence can
//   start; line breaks become spaces (no block can start on a new line); GFM autolinks (`www.`,
//   `scheme://`, `user@host`) and theme icons (`$(name)`) are broken by a zero-width space, which
//   also defeats renderers that linkify or substitute icons after escapes are resolved;
// - inline code: a backtick run longer than any run in the content (CommonMark code spans end only
//   at a run of the same length);
// - code blocks: a backtick fence longer than any backtick run in the content, so no content line
//   can close it at any indentation (closing fences may be indented up to 3 spaces).
// Control characters other than tab and line feed are shown as \xNN / \u{…} escapes.

/** Zero-width space: splits a pattern without changing what the reader sees. */
const ZWSP = '\u200b';

const PUNCT = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
// C0 except \t \n, DEL, C1, line/paragraph separators, and the bidirectional marks, overrides and
// isolates (U+061C, U+200E/F, U+202A–202E, U+2066–2069: "Trojan Source" reordering).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Control characters (except \t and \n) as visible escapes. */
export function visibleControls(s: string): string {
  return s.replace(CONTROL, c => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
  });
}

/** Untrusted text as literal inline Markdown (one paragraph, no formatting of any kind). */
export function mdText(s: string): string {
  // leading spaces would start an indented code block, trailing ones a hard break
  const flat = visibleControls(s.replace(/\r\n?|\n/g, ' ').replace(/\t/g, ' ')).trim();
  return flat.replace(PUNCT, c => '\\' + c)
    // autolinks and icons, after escaping (the escapes are part of the patterns now)
    .replace(/(www)(\\\.)/gi, `$1${ZWSP}$2`)
    .replace(/(\\:)(\\\/\\\/)/g, `$1${ZWSP}$2`)
    .replace(/\\@/g, `\\@${ZWSP}`)
    .replace(/\\\$\\\(/g, `\\$${ZWSP}\\(`);
}

/** The longest run of `ch` in `s`. */
function longestRun(s: string, ch: string): number {
  let best = 0, run = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === ch) { if (++run > best) best = run; } else run = 0;
  }
  return best;
}

/** Untrusted text as an inline code span that no content can close. */
export function mdCode(s: string): string {
  const flat = visibleControls(s.replace(/\r\n?|\n/g, ' '));
  const fence = '`'.repeat(longestRun(flat, '`') + 1);
  // a span that starts or ends with a backtick (or a space) needs a space inside the fence
  const pad = /^[` ]|[` ]$/.test(flat) ? ' ' : '';
  return fence + pad + flat + pad + fence;
}

/** Untrusted text as a fenced code block that no content line can close or escape. */
export function mdCodeBlock(s: string, language = 'text'): string {
  const body = visibleControls(s.replace(/\r\n?/g, '\n')).replace(/\n+$/, '');
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  const lang = language.replace(/[^A-Za-z0-9_+-]/g, '');
  return `\n\n${fence}${lang}\n${body}\n${fence}\n\n`;
}
