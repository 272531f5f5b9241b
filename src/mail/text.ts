// Line-level reading of a mail document: line splitting that keeps every line's place, quote
// prefixes of any shape ("> ", ">>", "> > ", ">" with no space), and the cheap classifiers the
// recovery uses to tell C code from reviewer prose. Pure and linear.

/** Lines of `text` split at CRLF, LF or a lone CR (as the editor counts lines). */
export function splitLines(text: string): string[] {
  if (text.indexOf('\r') < 0) return text.split('\n');
  return text.split(/\r\n|\r|\n/);
}

/** Quote depth of a line and the length of its quote prefix (the `>`s and one following space). */
export interface QuotePrefix { depth: number; length: number }

const NO_QUOTE: QuotePrefix = { depth: 0, length: 0 };

/**
 * Reads `>`-quote prefixes: `> `, `>>`, `> > `, `>` without space, mixed in any order. Exactly one
 * space after the last `>` belongs to the prefix, so `>  foo` keeps the diff context marker.
 */
export function quotePrefix(line: string): QuotePrefix {
  if (line.charCodeAt(0) !== 62 /* > */) return NO_QUOTE;
  let i = 0, depth = 0;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 62) { depth++; i++; continue; }
    if (c === 32 && line.charCodeAt(i + 1) === 62) { i++; continue; }
    break;
  }
  if (line.charCodeAt(i) === 32) i++;
  return { depth, length: i };
}

/** Identifiers and words that mark a line as C rather than prose. */
const C_STATEMENT = /^\s*(?:#\s*(?:if|ifdef|ifndef|elif|else|endif|define|undef|include|pragma)\b|\/\*|\*\/|\*(?:\s|$)|\/\/|return\b|if\s*\(|else\b|for\s*\(|while\s*\(|switch\s*\(|case\b[^:]*:|default:|goto\s+\w+;|break;|continue;|[{}])/;
const C_OPERATOR = /->|&&|\|\||==|!=|<<|>>|\+=|-=|\|=|&=|\w\[|\w\(|\(\w/;

/** Whether `c` is a character of the regular expression class \s (what trim() removes). */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && (c === 160 || c === 5760 || (c >= 8192 && c <= 8202) || c === 8232 || c === 8233 || c === 8239 || c === 8287 || c === 12288 || c === 65279));
}

/**
 * `/(?:[;{}]|\*\/|\\|\)\s*(?:\|\||&&)?|,)\s*$/`: the text ends, before trailing white space, with
 * `;`, `{`, `}`, `*\/`, a backslash, `,`, `)`, or `||` / `&&` after a `)`. Read from the end.
 */
function endsLikeC(text: string): boolean {
  let e = text.length - 1;
  while (e >= 0 && isSpace(text.charCodeAt(e))) e--;
  if (e < 0) return false;
  const c = text.charCodeAt(e);
  if (c === 59 || c === 123 || c === 125 || c === 92 || c === 44 || c === 41) return true;
  if (c === 47) return text.charCodeAt(e - 1) === 42;
  if ((c === 124 || c === 38) && text.charCodeAt(e - 1) === c) {
    let k = e - 2;
    while (k >= 0 && isSpace(text.charCodeAt(k))) k--;
    return k >= 0 && text.charCodeAt(k) === 41;
  }
  return false;
}

/** Whether the text of a diff line (marker removed) reads as C. */
export function looksLikeC(text: string): boolean {
  if (text.length > 4000) return false;
  if (C_STATEMENT.test(text)) return true;
  if (!endsLikeC(text)) return false;
  const t = text.trim();
  const last = t.charCodeAt(t.length - 1);
  if (last === 46 || last === 63 || last === 33 /* . ? ! */) return false;
  if (last === 44 || last === 41 /* , ) */) return C_OPERATOR.test(t) || /^\w+\(/.test(t);
  return C_OPERATOR.test(t) || last === 59 || last === 123 || last === 125;
}

/** Words as `/[A-Za-z\u00C0-\uFFFF][A-Za-z'\u00C0-\uFFFF-]*\/g` counts them, without building the matches. */
function countWords(t: string): number {
  let words = 0, inWord = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0xc0;
    if (inWord) inWord = letter || c === 39 || c === 45;
    else if (letter) { words++; inWord = true; }
  }
  return words;
}

/** Whether a line reads as natural-language prose (so it cannot be a damaged diff line). */
export function looksLikeProse(text: string): boolean {
  const t = text.trim();
  if (!t || t.length > 4000) return false;
  const first = t.charCodeAt(0), last = t.charCodeAt(t.length - 1);
  // /^[*#{}]|^\/[*/]/ and /[;{}]$/
  if (first === 42 || first === 35 || first === 123 || first === 125 || (first === 47 && (t.charCodeAt(1) === 42 || t.charCodeAt(1) === 47))) return false;
  if (last === 59 || last === 123 || last === 125) return false;
  if (/[\u3000-\u9fff\uac00-\ud7af]/.test(t)) return true;
  const words = countWords(t);
  if (words >= 2 && !/[;{}()=&|<>[\]#/*]/.test(t)) return true;
  return words >= 4 && (last === 46 || last === 63 || last === 33 || last === 58 /* . ? ! : */);
}

/** Web-archive and mailing-list chrome that is never part of a hunk. */
export const FOOTER = /^(?:_{5,}\s*$|\[Index of Archives\]|\[Date Prev\]|Powered by |To unsubscribe|Archive: |List-\w+: |Previous message:|Next message:|Messages sorted by|More information about the |\[thread overview\]|permalink raw reply|reply other threads)/;

/** Strips the HTML escapes a saved page may leave in text (only the common ones). */
export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(gt|lt|amp|quot|apos|nbsp|#39|#x27|#\d+|#x[0-9a-f]+);/gi, (m, e: string) => {
    const k = e.toLowerCase();
    if (k === 'gt') return '>';
    if (k === 'lt') return '<';
    if (k === 'amp') return '&';
    if (k === 'quot') return '"';
    if (k === 'apos' || k === '#39' || k === '#x27') return "'";
    if (k === 'nbsp') return ' ';
    const code = k.startsWith('#x') ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
    return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
  });
}
