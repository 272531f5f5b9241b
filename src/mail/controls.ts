// Text made safe to show (pure): control characters that a terminal or a message box would act
// on — C0 except tab and line feed, DEL, C1 (0x9b is an 8-bit CSI), the line/paragraph separators
// and the bidirectional marks, overrides and isolates ("Trojan Source" reordering) — written as
// visible escapes; and untrusted text squeezed into one line of bounded length for messages.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_OR_BREAK = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escapeOf = (c: string): string => {
  const n = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
};

/** Control characters (except \t and \n) as visible escapes such as \x1b or \u{202e}. */
export function visibleControls(s: string): string { return s.replace(CONTROL, escapeOf); }

/** One line: every control character and line break escaped (\n, \x1b …); at most `max` characters. */
export function oneLine(s: string, max = 400): string {
  const t = s.replace(CONTROL_OR_BREAK, escapeOf);
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

/** Control characters JSON.stringify leaves raw (DEL, C1, bidi, separators) as \u escapes: the
 *  same JSON value, safe on a terminal. Only valid on JSON text (they can occur only in strings). */
export function jsonTerminalSafe(json: string): string {
  return json.replace(/[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** What is wrong with a JSON text, from JSON.parse's error, without quoting the text back. */
export function jsonProblem(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const at = /position (\d+)/.exec(message)?.[1];
  const what = /^(Unexpected end of JSON input|Unexpected token|Unexpected non-whitespace character|Expected [^,"]*|Bad control character|Bad escaped character|Unterminated string|Unexpected number|Unexpected string)/.exec(message)?.[1] ?? 'syntax error';
  return `${what}${at ? ` at position ${at}` : ''}`;
}
