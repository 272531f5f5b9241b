// What users read never cites the project's internal documents: the knowledge tables keep their
// provenance notes for developers ("ref §6" = the nested-VMX reference, "seed 002" = a test mail,
// "constants.tsv" = the reference constants table), and this is the one place where they are
// taken out of the text the hover, the Explain page and `kvm-review explain` show. The public
// sources (kernel files, SDM sections) stay.
import type { Explanation } from '../knowledge/types';

/** Internal citations, for the test that scans every user-visible string. */
export const INTERNAL_CITATION = /\bseeds? 0\d\d\b|\bref(?:erence)? §|\bconstants\.tsv\b|\bkvm-nested-vmx(?:\.md)?\b|\bpatch-formats\.md\b|\bcli-contract(?:\.md)?\b|\bstyle-anchors\.md\b/i;

const RULES: [RegExp, string][] = [
  // "(ref §1.1)", "(see ref §2.3, §2.4)", "(seed 003)", "(seed 001 2/2)", "(kvm-nested-vmx.md §6)"
  [/\s*\((?:see\s+)?(?:ref(?:erence)?\s+§[\d.]+(?:\s*[,;–-]\s*§?[\d.]+)*|seeds?\s+0\d\d(?:\s+\d+\/\d+)?(?:\s*[,;]\s*0\d\d)*|kvm-nested-vmx(?:\.md)?(?:\s+§[\d.]+(?:\s*[,;–-]\s*§?[\d.]+)*)?|constants\.tsv)\)/gi, ''],
  // list items: "kvm-nested-vmx.md §6; seed 002", "constants.tsv; arch/x86/..."
  [/(?:^|[;,]\s*)(?:kvm-nested-vmx(?:\.md)?(?:\s+§[\d.]+(?:\s*[,–-]\s*§?[\d.]+)*)?|constants\.tsv|seeds?\s+0\d\d(?:\s+\d+\/\d+)?|ref(?:erence)?\s+§[\d.]+)(?=\s*(?:[;,]|$))/gi, ''],
  // what is left in running text: "ref §3.1", "seed 002"
  [/\s*\b(?:ref(?:erence)?\s+§[\d.]+|seeds?\s+0\d\d(?:\s+\d+\/\d+)?)\b/gi, ''],
];

/** `text` without internal citations (punctuation and spaces tidied where one was cut out). */
export function publicText(text: string): string {
  if (!INTERNAL_CITATION.test(text)) return text;
  let t = text;
  for (const [re, by] of RULES) t = t.replace(re, by);
  return t.replace(/^\s*[;,]\s*/, '').replace(/\s*[;,]\s*$/, '').replace(/\(\s*\)/g, '').replace(/\s+([.,;:)])/g, '$1').replace(/ {2,}/g, ' ').trim();
}

/** A source list without its internal parts ("kvm-nested-vmx.md §2.1 step 13e; nested.c"); the
 *  kernel file when nothing public is left. */
export function publicSource(source: string, kernelFile?: string): string {
  if (!INTERNAL_CITATION.test(source)) return source;
  const kept = source.split(/\s*;\s*/).filter(part => !INTERNAL_CITATION.test(part)).join('; ');
  return kept || (kernelFile ? `${kernelFile} (v6.12)` : '');
}

/** The explanation with every user-visible string passed through `publicText` (in place). */
export function publicExplanation(e: Explanation): Explanation {
  e.summary = publicText(e.summary);
  e.details = publicText(e.details);
  e.sdm = publicText(e.sdm);
  if (e.source !== undefined) e.source = publicSource(e.source, e.kernelFiles[0]);
  if (e.history) e.history = e.history.map(h => ({ ...h, era: publicText(h.era), change: publicText(h.change) }));
  if (e.checks) e.checks = e.checks.map(c => ({ ...c, fails: publicText(c.fails), result: publicText(c.result), ...(c.sdm !== undefined ? { sdm: publicText(c.sdm) } : {}) }));
  return e;
}
