// Content sniffing for files that do not say what they are (a saved lore or patchwork page as
// .txt): does the text read as a patch mail? Cheap (the first lines only) and pure.

/** Signs of a patch mail in the first `maxLines` lines: a diff header, a hunk header, a [PATCH]
 *  subject, trailers, quoted hunks. Two independent signs (or one diff header) are enough. */
export function looksLikePatchMail(text: string, maxLines = 400): { patch: boolean; reason: string } {
  const lines = text.slice(0, 200_000).split(/\r\n|\r|\n/, maxLines);
  let diff = 0, hunk = 0, subject = 0, trailer = 0, plusMinus = 0, quoted = 0;
  for (const raw of lines) {
    if (raw.startsWith('>')) quoted++;
    const l = raw.replace(/^(?:> ?)+/, '');
    if (/^diff --git a\/\S+ b\/\S+/.test(l) || /^\+\+\+ b\/\S+/.test(l)) diff++;
    else if (/^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/.test(l)) hunk++;
    else if (/\[(?:RFC )?PATCH\b[^\]]*\]/.test(l)) subject++;
    else if (/^(?:Signed-off-by|Reviewed-by|Acked-by|Tested-by):\s+\S.*<[^>]+@[^>]+>/.test(l) || /^(?:Signed-off-by|Reviewed-by|Acked-by):\s+\S.*@xxxxx/.test(l)) trailer++;
    else if (/^[-+]\t/.test(l)) plusMinus++;
  }
  const reasons = [diff && `${diff} diff header${diff > 1 ? 's' : ''}`, hunk && `${hunk} hunk header${hunk > 1 ? 's' : ''}`, subject && 'a [PATCH] subject', trailer && 'trailers', plusMinus >= 3 && 'changed lines', quoted >= 5 && 'quoted text'].filter(Boolean) as string[];
  const patch = diff > 0 || reasons.length >= 2;
  return { patch, reason: reasons.join(', ') };
}
