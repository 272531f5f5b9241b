// Patchwork's REST API answers with JSON whose `diff` (and `content`) fields hold the patch as an
// escaped string. This reads those fields back into body lines; every decoded line points at the
// document line where its string starts (the text itself is escaped there, so column -1).
import type { BodyLine } from './mime';

/** One patch found in a patchwork JSON document. */
export interface JsonPatch { subject: string; from: string; date: string; messageId: string; sourceLine: number; endLine: number; body: BodyLine[] }

function lineAt(starts: number[], offset: number): number {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= offset) lo = mid; else hi = mid - 1; }
  return lo;
}

/** Patches of a patchwork API JSON document, or undefined when the text is not such JSON. */
export function readPatchworkJson(text: string, maxBytes = 32 * 1024 * 1024): JsonPatch[] | undefined {
  const head = text.trimStart()[0];
  if ((head !== '{' && head !== '[') || text.length > maxBytes || !text.includes('"diff"')) return undefined;
  let value: unknown;
  try { value = JSON.parse(text); } catch { return undefined; }
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const out: JsonPatch[] = [];
  let searchFrom = 0;
  const visit = (v: unknown, depth: number) => {
    if (depth > 8 || !v || typeof v !== 'object') return;
    if (Array.isArray(v)) { for (const x of v) visit(x, depth + 1); return; }
    const o = v as Record<string, unknown>;
    if (typeof o.diff === 'string') {
      const at = Math.max(0, text.indexOf('"diff"', searchFrom));
      searchFrom = at + 6;
      const line = lineAt(starts, at);
      const submitter = o.submitter as { name?: string; email?: string } | undefined;
      const commit = typeof o.content === 'string' ? o.content.split('\n') : [];
      const body: BodyLine[] = [...commit, '---', ...o.diff.split('\n')].map(t => ({ text: t.replace(/\r$/, ''), sourceLine: line, column: -1 }));
      out.push({
        subject: typeof o.name === 'string' ? o.name : '', from: submitter ? `${submitter.name ?? ''} <${submitter.email ?? ''}>`.trim() : '',
        date: typeof o.date === 'string' ? o.date : '', messageId: typeof o.msgid === 'string' ? o.msgid : '', sourceLine: line, endLine: line, body,
      });
      return;
    }
    for (const x of Object.values(o)) visit(x, depth + 1);
  };
  visit(value, 0);
  return out.length ? out : undefined;
}
