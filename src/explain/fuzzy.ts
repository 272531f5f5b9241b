// Close-match scoring for "did you mean" and the Explain quick pick (pure).

/** Damerau–Levenshtein (optimal string alignment) distance, stopping early above `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev; prev = cur;
  }
  return prev[b.length];
}

/** Tokens of an identifier: `nested_vmx_load_cr3` → nested, vmx, load, cr3. */
function tokens(s: string): string[] { return s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean); }

/** A score for `candidate` against `query`: lower is better; undefined when not close at all. */
export function closeness(query: string, candidate: string): number | undefined {
  const q = query.toLowerCase(), c = candidate.toLowerCase();
  if (q === c) return 0;
  if (c.startsWith(q)) return 1 + (c.length - q.length) / 100;
  const maxEdit = Math.max(1, Math.min(4, Math.floor(q.length / 4)));
  const d = editDistance(q, c, maxEdit);
  // Digits are meaningful (CTLS2 vs CTLS, CR0 vs CR4): a candidate whose digits differ ranks lower.
  if (d <= maxEdit) return 2 + d + (q.replace(/\D/g, '') === c.replace(/\D/g, '') ? 0 : 0.3);
  if (q.length >= 4 && c.includes(q)) return 7 + (c.length - q.length) / 100;
  const qt = tokens(q), ct = new Set(tokens(c));
  if (qt.length >= 2) {
    const shared = qt.filter(t => ct.has(t)).length;
    if (shared >= Math.max(2, Math.ceil(qt.length * 0.6))) return 9 + (qt.length - shared) + Math.abs(ct.size - qt.length) / 10;
  }
  return undefined;
}

/** 'upper', 'lower' or 'mixed': the case of the letters of a name. */
function caseShape(s: string): string { return s === s.toUpperCase() ? 'upper' : s === s.toLowerCase() ? 'lower' : 'mixed'; }

/** The `max` names closest to `query`, best first. */
export function closest(query: string, names: Iterable<string>, max: number): string[] {
  const scored: [string, number][] = [];
  for (const n of names) {
    const s = closeness(query, n);
    // Same spelling case as the query ranks first (GUES_CR3 → GUEST_CR3 before vmcs12's guest_cr3).
    if (s !== undefined) scored.push([n, s + (caseShape(n) === caseShape(query) ? 0 : 0.5)]);
  }
  return scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, max).map(([n]) => n);
}
