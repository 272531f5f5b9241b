// The KVM x86 maintainers' rules for submissions, checked on a patch mail. The source is the
// tree's Documentation/process/maintainer-kvm-x86.rst (Linux v6.12); each rule names the section
// it restates. Pure: takes the parsed document and its lines, returns findings with 0-based lines.
import type { PatchDocument, MessageInfo } from '../../diff';
import { quotePrefix } from '../../mail';
import { FUNCTIONS } from '../../knowledge/functions';

let modelFunctions: Set<string> | undefined;
/** The KVM functions the knowledge tables name (besides those the patch itself changes). */
function knownFunctionNames(): ReadonlySet<string> { return (modelFunctions ??= new Set(FUNCTIONS.map(f => f.name))); }

/** One finding of a rule. */
export interface RuleFinding {
  rule: RuleId;
  /** 0-based document lines. */
  sourceLine: number;
  endLine: number;
  severity: 'warning' | 'information';
  message: string;
}

export type RuleId = 'shortlog-prefix' | 'shortlog-style' | 'shortlog-length' | 'function-notation' | 'sdm-numbers' | 'fixes-tag' | 'new-check-without-test';

/** Every rule with where it comes from. */
export const RULES: readonly { id: RuleId; origin: string; summary: string }[] = [
  { id: 'shortlog-prefix', origin: 'maintainer-kvm-x86.rst, "Shortlog"', summary: 'the shortlog starts with "KVM: <topic>:", topic one of x86, x86/mmu, x86/pmu, x86/xen, selftests, SVM, nSVM, VMX, nVMX (case-sensitive; never x86/kvm, never a file name)' },
  { id: 'shortlog-style', origin: 'maintainer-kvm-x86.rst, "Shortlog"', summary: 'the first word after the prefix is capitalised and the shortlog has no ending punctuation' },
  { id: 'shortlog-length', origin: 'maintainer-kvm-x86.rst, "Shortlog" (amending submitting-patches.rst)', summary: '75 characters firm limit, 80 hard limit' },
  { id: 'function-notation', origin: 'maintainer-kvm-x86.rst, "Function References"', summary: 'a function named in the changelog or shortlog is written function_name()' },
  { id: 'sdm-numbers', origin: 'maintainer-kvm-x86.rst, "SDM and APM References"', summary: 'no SDM/APM section, table or figure numbers (the layouts change); reference them by name' },
  { id: 'fixes-tag', origin: 'maintainer-kvm-x86.rst, "Fixes" (tag form from submitting-patches.rst, "Describe your changes")', summary: 'Fixes: <at least 12 hex digits of the SHA-1> ("<the commit\'s shortlog>")' },
  { id: 'new-check-without-test', origin: 'maintainer-kvm-x86.rst, "Testing" and "New Features"', summary: 'a new consistency check (an added CC(...)) comes with a test in the series (selftests or kvm-unit-tests)' },
];

const TOPICS = ['x86', 'x86/mmu', 'x86/pmu', 'x86/xen', 'selftests', 'SVM', 'nSVM', 'VMX', 'nVMX'];
const KVM_PATH = /^(?:arch\/x86\/kvm\/|arch\/x86\/include\/asm\/kvm|arch\/x86\/include\/uapi\/asm\/kvm|tools\/testing\/selftests\/kvm\/|virt\/kvm\/|include\/linux\/kvm|include\/uapi\/linux\/kvm)/;
const TEST_PATH = /^tools\/testing\/selftests\/kvm\/|^x86\/[\w-]+\.c$/;
const SDM_NUMBER = /\b(?:SDM|APM)\b.{0,30}?\b\d+[A-D]?(?:\.\d+)+|\b(?:SDM|APM)\b.{0,30}?\b(?:Table|Figure|Example)\s+\d+(?:-\d+)?|\b(?:Section|Table|Figure)\s+\d+(?:[.-]\d+)+/i;
const SHORTLOG_PREFIX = /^(\S+?):\s*(?:(\S+?):\s*)?/;

/** Where the message's Subject header is (its first line), else the message's first line. */
function subjectLine(lines: string[], m: MessageInfo): number {
  for (let i = m.sourceLine; i < Math.min(m.bodyLine, lines.length); i++) if (/^Subject:/i.test(lines[i])) return i;
  return m.sourceLine;
}

/** The shortlog: the subject without reply and `[PATCH ...]` prefixes. */
export function shortlogOf(subject: string): string {
  return subject.replace(/^(?:\s*(?:re|aw|fwd?)\s*:\s*)+/i, '').replace(/^\s*(?:\[[^\]]*\]\s*)+/, '').trim();
}

/** Checks one shortlog; the findings without lines. */
export function shortlogFindings(shortlog: string): { rule: RuleId; severity: RuleFinding['severity']; message: string }[] {
  const out: { rule: RuleId; severity: RuleFinding['severity']; message: string }[] = [];
  const m = SHORTLOG_PREFIX.exec(shortlog);
  const first = m?.[1] ?? '', topic = m?.[2];
  if (first !== 'KVM' || !topic) {
    const said = m ? m[0].trim() : shortlog.split(' ')[0];
    const hint = /^kvm$/i.test(first) && topic && TOPICS.some(t => t.toLowerCase() === topic.toLowerCase()) ? ` (names are case-sensitive: "KVM: ${TOPICS.find(t => t.toLowerCase() === topic.toLowerCase())}:")` : '';
    out.push({ rule: 'shortlog-prefix', severity: 'warning', message: `shortlog prefix "${said}" is not "KVM: <topic>:"${hint}; topics: ${TOPICS.join(', ')}` });
  } else if (topic === 'x86/kvm') {
    out.push({ rule: 'shortlog-prefix', severity: 'warning', message: 'shortlog prefix "KVM: x86/kvm:": x86/kvm is for Linux as a KVM guest (arch/x86/kernel/kvm.c); use one of ' + TOPICS.join(', ') });
  } else if (!TOPICS.includes(topic)) {
    const exact = TOPICS.find(t => t.toLowerCase() === topic.toLowerCase());
    const file = /[./]\w+\.[ch]$|\//.test(topic) && !exact;
    out.push({ rule: 'shortlog-prefix', severity: 'warning', message: exact ? `shortlog topic "${topic}" is "${exact}" (names are case-sensitive)` : `shortlog topic "${topic}"${file ? ' looks like a file name' : ' is not a KVM x86 topic'}; use one of ${TOPICS.join(', ')}` });
  }
  const rest = m ? shortlog.slice(m[0].length) : shortlog;
  if (rest && /^[a-z]/.test(rest) && !/^[a-z_0-9]+\(\)/.test(rest) && !/^[a-z]+[A-Z_]/.test(rest)) out.push({ rule: 'shortlog-style', severity: 'warning', message: `capitalise the first word of the shortlog ("${rest.split(' ')[0]}")` });
  if (/[.!;,:]$/.test(shortlog)) out.push({ rule: 'shortlog-style', severity: 'warning', message: 'no ending punctuation in the shortlog' });
  if (shortlog.length > 80) out.push({ rule: 'shortlog-length', severity: 'warning', message: `shortlog is ${shortlog.length} characters, over the hard limit of 80` });
  else if (shortlog.length > 75) out.push({ rule: 'shortlog-length', severity: 'information', message: `shortlog is ${shortlog.length} characters, over the firm limit of 75 (80 is the hard limit)` });
  return out;
}

/** The changelog's lines (0-based, document order): the commit message of a patch, the body of a cover letter. */
function changelogLines(lines: string[], m: MessageInfo): number[] {
  const start = m.commitMessage?.startLine ?? m.bodyLine;
  let end = m.commitMessage?.endLine ?? m.endLine;
  if (!m.commitMessage) for (let i = start; i <= m.endLine && i < lines.length; i++) if (/^(?:diff --git |---\s*$)/.test(lines[i])) { end = i - 1; break; }
  const out: number[] = [];
  for (let i = start; i <= end && i < lines.length; i++) if (quotePrefix(lines[i]).depth === 0) out.push(i);
  return out;
}

/** The maintainers' rules on every patch message of `doc` (replies and non-KVM patches are skipped). */
export function checkMaintainerRules(doc: PatchDocument, lines: string[], knownFunctions: ReadonlySet<string> = knownFunctionNames()): RuleFinding[] {
  const out: RuleFinding[] = [];
  const filesOf = (mi: number) => doc.files.filter(f => f.message === mi).map(f => f.newPath ?? f.oldPath ?? '').filter(Boolean);
  const isReply = (m: MessageInfo) => /^\s*(?:re|aw)\s*:/i.test(m.subject);
  const patches = doc.messages.map((m, i) => ({ m, i })).filter(({ m }) => !isReply(m) && !!m.subject && (m.patch !== null || doc.files.some(f => f.message === doc.messages.indexOf(m))));
  const seriesTouchesKvm = patches.some(({ i }) => filesOf(i).some(p => KVM_PATH.test(p)));
  for (const { m, i } of patches) {
    const files = filesOf(i);
    const kvm = files.some(p => KVM_PATH.test(p)) || (files.length === 0 && seriesTouchesKvm) || /^kvm\b/i.test(shortlogOf(m.subject));
    if (!kvm) continue;
    const sl = subjectLine(lines, m);
    const shortlog = shortlogOf(m.subject);
    for (const f of shortlogFindings(shortlog)) out.push({ ...f, sourceLine: sl, endLine: sl });
    // function names without ()
    const names = new Set<string>(knownFunctions);
    for (const h of doc.hunks) if (h.message === i) for (const fn of h.changedFunctions) names.add(fn);
    const changelog = changelogLines(lines, m);
    const bare = (text: string) => {
      const found: string[] = [];
      for (const w of text.matchAll(/(?<![\w>.-])([a-z_][a-z0-9_]*_[a-z0-9_]+)(?![\w(])/g)) if (names.has(w[1]) && !found.includes(w[1])) found.push(w[1]);
      return found;
    };
    const inShortlog = bare(shortlog);
    if (inShortlog.length) out.push({ rule: 'function-notation', sourceLine: sl, endLine: sl, severity: 'warning', message: `write ${inShortlog.map(n => `${n}()`).join(', ')} with parentheses in the shortlog` });
    for (const li of changelog) {
      const t = lines[li];
      if (/^\s*(?:[A-Z][\w-]*-by|Fixes|Link|Cc|Closes):/.test(t)) continue;
      const found = bare(t);
      if (found.length) out.push({ rule: 'function-notation', sourceLine: li, endLine: li, severity: 'warning', message: `write ${found.map(n => `${n}()`).join(', ')} with parentheses` });
      const sdm = SDM_NUMBER.exec(t);
      if (sdm) out.push({ rule: 'sdm-numbers', sourceLine: li, endLine: li, severity: 'warning', message: `"${sdm[0].trim()}": do not cite SDM/APM sections, tables or figures by number (they move between SDM revisions); name them` });
    }
    // comments the patch adds: "especially not in comments"
    for (const h of doc.hunks) {
      if (h.message !== i || h.quoteDepth > 0) continue;
      for (const l of h.lines) {
        if (l.kind !== 'add') continue;
        const sdm = /\/\*|^\s*\*|\/\//.test(l.text) ? SDM_NUMBER.exec(l.text) : null;
        if (sdm) out.push({ rule: 'sdm-numbers', sourceLine: l.sourceLine, endLine: l.sourceLine, severity: 'warning', message: `"${sdm[0].trim()}" in an added comment: no SDM/APM section numbers, especially not in comments` });
      }
    }
    for (const t of m.trailers) {
      if (t.name.toLowerCase() !== 'fixes') continue;
      const ok = /^[0-9a-f]{12,40} \(".+"\)$/.test(t.value);
      if (!ok) {
        const sha = /^([0-9a-f]+)/.exec(t.value)?.[1] ?? '';
        const why = !sha ? 'no commit id' : sha.length < 12 ? `the commit id has ${sha.length} hex digits, fewer than 12` : !/ \("/.test(t.value) ? 'the commit\'s shortlog in ("...") is missing' : 'write it as <sha> ("<shortlog>")';
        out.push({ rule: 'fixes-tag', sourceLine: t.sourceLine, endLine: t.sourceLine, severity: 'warning', message: `Fixes: tag form: ${why}; expected Fixes: <12+ hex digits> ("<shortlog>")` });
      }
    }
  }
  // a new check without a test anywhere in the series
  const testInSeries = patches.some(({ i }) => filesOf(i).some(p => TEST_PATH.test(p)))
    || doc.messages.some(m => !isReply(m) && /\b(?:selftests?|kvm-unit-tests?|kut)\b/i.test(lines.slice(m.bodyLine, (m.commitMessage?.endLine ?? m.bodyLine + 60) + 1).join('\n')));
  if (!testInSeries) {
    for (const { m, i } of patches) {
      if (!filesOf(i).some(p => KVM_PATH.test(p))) continue;
      // added CC() lines beyond the removed ones of the same hunk (a rewritten check is not a new one)
      const added = doc.hunks.filter(h => h.message === i && h.quoteDepth === 0).flatMap(h => {
        const plus = h.lines.filter(l => l.kind === 'add' && /\bCC\s*\(/.test(l.text));
        const minus = h.lines.filter(l => l.kind === 'del' && /\bCC\s*\(/.test(l.text)).length;
        return plus.slice(minus);
      });
      if (!added.length) continue;
      const first = added[0].sourceLine;
      out.push({ rule: 'new-check-without-test', sourceLine: first, endLine: first, severity: 'information',
        message: `${added.length} new consistency check${added.length === 1 ? '' : 's'} (CC(...)) in "${shortlogOf(m.subject)}" and no test in the series: new checks come with a selftest or kvm-unit-tests case, negative cases included` });
    }
  }
  return out.sort((a, b) => a.sourceLine - b.sourceLine);
}
