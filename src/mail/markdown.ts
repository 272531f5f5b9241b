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
import { visibleControls } from './controls';

export { visibleControls };

/** Zero-width space: splits a pattern without changing what the reader sees. */
const ZWSP = '\u200b';

const PUNCT = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

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
