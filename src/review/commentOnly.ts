// Whether a hunk changes only comments or blank lines (no lens, nothing to simulate). Pure.
import type { Hunk } from '../diff/types';

/** The code left in changed lines once comments are blanked, tracking block comments across lines (context lines included, so a change inside an open comment counts as comment). */
export function isCommentOnlyHunk(hunk: Hunk): boolean {
  let inBlock = false;
  let changed = 0;
  for (const line of hunk.lines) {
    let code = '';
    let text = line.text;
    while (text.length) {
      if (inBlock) {
        const end = text.indexOf('*/');
        if (end < 0) { text = ''; break; }
        inBlock = false; text = text.slice(end + 2); continue;
      }
      const open = text.indexOf('/*'), slash = text.indexOf('//');
      if (slash >= 0 && (open < 0 || slash < open)) { code += text.slice(0, slash); break; }
      if (open < 0) { code += text; break; }
      code += text.slice(0, open); inBlock = true; text = text.slice(open + 2);
    }
    if (line.kind === 'context') continue;
    changed++;
    if (code.trim()) return false;
  }
  return changed > 0;
}
