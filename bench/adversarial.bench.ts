// Hostile inputs (issue 10): time per MB and peak memory per MB of input for the core functions
// behind parse (parsePatchDocument), hover (computeHover on a function in the hunk) and a lens
// click (comparePatch: the before/after simulation), each at two sizes, so that linearity shows:
// doubling the input should at most double the time (±30 %). Every measurement runs in its own
// child process (peak RSS is per process); inputs are generated here, nothing is written to disk.
//   node --import tsx bench/adversarial.bench.ts            all cases, a table of figures
//   node --import tsx bench/adversarial.bench.ts CASE MB    one measurement (JSON on stdout)
import { spawnSync } from 'node:child_process';
import { parsePatchDocument } from '../src/diff';
import { computeHover } from '../src/explain';
import { comparePatch } from '../src/review/patchSimulation';

const HEAD = 'From: Bench <bench@example.invalid>\nSubject: [PATCH] KVM: nVMX: adversarial bench input\n\n---\n';
const FILE = 'diff --git a/arch/x86/kvm/vmx/nested.c b/arch/x86/kvm/vmx/nested.c\n--- a/arch/x86/kvm/vmx/nested.c\n+++ b/arch/x86/kvm/vmx/nested.c\n';
const CR3_HUNK = '@@ -1095,4 +1095,4 @@ static int nested_vmx_load_cr3(struct kvm_vcpu *vcpu, unsigned long cr3,\n';

/** `mb` megabytes of `unit` repeated, after `head`. */
function fill(head: string, unit: (i: number) => string, mb: number): string {
  const parts = [head];
  let size = head.length, i = 0;
  while (size < mb * 1048576) { const u = unit(i++); parts.push(u); size += u.length; }
  return parts.join('');
}

interface Case { what: string; input: (mb: number) => string; run: (text: string) => void }
const CASES: Record<string, Case> = {
  'parse-dense-hunks': {
    what: 'parse: hunks as dense as accepted (one per ~106 bytes)',
    input: mb => fill(HEAD + FILE, i => `@@ -${i},6 +${i},6 @@\n ctx line one long\n ctx line two long\n-a = 1;\n+a = 2;\n ctx line three long\n ctx line four\n`, mb),
    run: text => { parsePatchDocument(text); },
  },
  'parse-too-dense': {
    what: 'parse: 18-byte hunks (refused before anything is built)',
    input: mb => fill(HEAD + FILE, () => '@@ -1 +1 @@\n-a\n+b\n', mb),
    run: text => { parsePatchDocument(text); },
  },
  'parse-mime-nesting': {
    what: 'parse: multipart nested 8 deep, repeated, HTML parts',
    input: mb => fill(HEAD.replace('\n\n---\n', '\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b0"\n\n'), i =>
      [...Array.from({ length: 8 }, (_, d) => `--b${d}\nContent-Type: multipart/mixed; boundary="b${d + 1}"\n\n`),
        `--b8\nContent-Type: text/html\n\n<p>x ${i}</p><pre>&lt;x&gt;</pre>\n`, ...Array.from({ length: 8 }, (_, d) => `--b${8 - d}--\n`)].join(''), mb) + '--b0--\n',
    run: text => { parsePatchDocument(text); },
  },
  'parse-unclosed-cc': {
    what: 'parse: one hunk of unclosed CC( and /* in changed lines',
    input: mb => fill(HEAD + FILE + CR3_HUNK.replace('-1095,4 +1095,4', '-1095,1 +1095,1'), () => '+\tif (CC(a && CC(b || /* (c\n', mb),
    run: text => { parsePatchDocument(text); },
  },
  'hover-big-hunk': {
    what: 'hover: a function in a hunk of n removed and n added lines',
    input: mb => {
      const lines: string[] = [HEAD, FILE, CR3_HUNK.replace('-1095,4 +1095,4', '-1095 +1095'), ' {\n'];
      let size = 0;
      for (let i = 0; size < mb * 1048576; i++) { const l = `-\tif (CC(vmcs12->field_${i} & BIT_ULL(${i % 64})))\n+\tif (CC(vmcs12->field_${i} & BIT(${i % 32})))\n`; lines.push(l); size += l.length; }
      return lines.join('');
    },
    run: text => {
      const doc = parsePatchDocument(text);
      const line = text.split('\n').findIndex(l => l.includes('nested_vmx_load_cr3'));
      const lineText = text.split('\n')[line];
      computeHover(lineText, line, lineText.indexOf('nested_vmx_load_cr3') + 3, doc.hunks);
    },
  },
  'lens-click-macros': {
    what: 'lens click: comparePatch over n costly #defines (one read by the model)',
    input: mb => fill(HEAD + 'diff --git a/arch/x86/kvm/kvm_cache_regs.h b/arch/x86/kvm/kvm_cache_regs.h\n--- a/arch/x86/kvm/kvm_cache_regs.h\n+++ b/arch/x86/kvm/kvm_cache_regs.h\n', i =>
      `@@ -${10 + i * 3},1 +${10 + i * 3},1 @@\n-#define HOSTILE_${i} (X86_CR0_TS)\n+#define ${i % 1000 === 0 ? 'KVM_POSSIBLE_CR0_GUEST_BITS' : `HOSTILE_${i}`} GENMASK_ULL(BIT_ULL(${i}), BIT_ULL(BIT_ULL(62)))\n`, mb),
    run: text => { comparePatch('cr0-write', { base: 'default' }, parsePatchDocument(text)); },
  },
  'lens-click-conditions': {
    what: 'lens click: comparePatch with costly changed conditions in n hunks',
    input: mb => fill(HEAD + FILE, i => `${CR3_HUNK} {\n-\tif (CC(!kvm_vcpu_is_legal_cr3(vcpu, cr3))) {\n+\tif (CC(!kvm_vcpu_is_legal_cr3(vcpu, cr3) || BIT_ULL(${1000 + i}) || IS_ALIGNED(cr3, 0) || sizeof(constructor))) {\n \t\treturn -EINVAL;\n`, mb),
    run: text => { comparePatch('nested-vmentry', { base: 'default' }, parsePatchDocument(text)); },
  },
};

const [caseName, mbArg] = process.argv.slice(2);
if (caseName) {
  const c = CASES[caseName];
  const text = c.input(Number(mbArg));
  const base = process.memoryUsage().rss;
  const t0 = performance.now();
  c.run(text);
  const ms = performance.now() - t0;
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ ms, mb: text.length / 1048576, peakMB: peak / 1048576, extraMB: Math.max(0, peak - base) / 1048576 }) + '\n');
} else {
  const sizes = [Number(process.env.BENCH_MB ?? 2), 2 * Number(process.env.BENCH_MB ?? 2)];
  const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
  console.log(`case: time per MB at ${sizes[0]} and ${sizes[1]} MB (fastest of ${REPEAT}; ratio of times, linear = 2.0 ±30 %), peak memory above the loaded input per MB`);
  let bad = 0;
  for (const [name, c] of Object.entries(CASES)) {
    // the fastest of REPEAT runs: the machine is shared, and other load only ever adds time
    const runs = sizes.map(mb => Array.from({ length: REPEAT }, () => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, name, String(mb)], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (r.status !== 0) throw new Error(`${name} ${mb} MB: ${r.stderr.split('\n').slice(0, 3).join(' ')}`);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; mb: number; peakMB: number; extraMB: number };
    }).reduce((a, b) => (b.ms < a.ms ? { ...b, peakMB: Math.max(a.peakMB, b.peakMB), extraMB: Math.max(a.extraMB, b.extraMB) } : { ...a, peakMB: Math.max(a.peakMB, b.peakMB), extraMB: Math.max(a.extraMB, b.extraMB) })));
    const ratio = runs[1].ms / Math.max(1, runs[0].ms);
    const linear = ratio <= 2.6 || runs[1].ms < 200;
    if (!linear) bad++;
    console.log(`${name}: ${runs.map(r => `${(r.ms / r.mb).toFixed(0)} ms/MB`).join(', ')} (x${ratio.toFixed(2)}${linear ? '' : ' NOT LINEAR'}); `
      + `memory ${runs.map(r => `${(r.extraMB / r.mb).toFixed(1)} MB/MB`).join(', ')} (peak RSS ${runs.map(r => `${r.peakMB.toFixed(0)} MB`).join(', ')}) — ${c.what}`);
  }
  if (bad) console.log(`${bad} case(s) grew faster than linearly`);
}
