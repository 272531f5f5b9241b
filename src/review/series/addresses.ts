// RFC 5322 address lists as a reply needs them: split at the commas between addresses (not those
// inside quoted names, comments or angle brackets), the bare address of each entry for
// de-duplication, and the display name the attribution line uses. Pure.

/** Splits an address-list header value into its addresses, each as written (trimmed). */
export function splitAddressList(value: string): string[] {
  const out: string[] = [];
  let depthAngle = 0, depthParen = 0, quoted = false, start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === '(') depthParen++;
    else if (c === ')' && depthParen) depthParen--;
    else if (c === '<') depthAngle++;
    else if (c === '>' && depthAngle) depthAngle--;
    else if (c === ',' && !depthAngle && !depthParen) {
      const part = value.slice(start, i).trim();
      if (part) out.push(part);
      start = i + 1;
    }
  }
  const last = value.slice(start).trim();
  if (last) out.push(last);
  return out;
}

/** The bare address of one entry (`Name <a@b>` → `a@b`, `a@b (Name)` → `a@b`), lower-cased. */
export function bareAddress(entry: string): string {
  const angle = /<([^<>]*)>\s*$/.exec(entry);
  if (angle) return angle[1].trim().toLowerCase();
  return entry.replace(/\([^()]*\)/g, '').replace(/"[^"]*"/g, '').trim().toLowerCase();
}

/** The display name of an address (`"Christopherson, Sean" <s@x>` → `Christopherson, Sean`),
 *  or the address itself when it has none. */
export function displayName(entry: string): string {
  const e = entry.trim();
  const angle = /^(.*?)<[^<>]*>\s*$/.exec(e);
  let name = angle ? angle[1].trim() : '';
  if (!angle) {
    const comment = /\(([^()]+)\)\s*$/.exec(e);
    if (comment) name = comment[1].trim();
  }
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  return name || (angle ? bareAddress(e) : e);
}

/** Whether `entry` reads as one address (`Name <a@b>` or `a@b`). */
export function isAddress(entry: string): boolean {
  return /^[^\s@<>]+@[^\s@<>]+$/.test(bareAddress(entry)) && splitAddressList(entry).length === 1;
}
