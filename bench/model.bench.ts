// Model and hover speed (`npm run bench`, or `node --import tsx bench/model.bench.ts`). Prints
// `name: value` lines. The input is generated here (no third-party text): a ~1 MB series of
// patches touching modeled nested-VMX functions with KVM names and numbers on their lines.
import { performance } from 'node:perf_hooks';
import { parsePatchDocument } from '../src/diff';
import { computeHover, explain, modelBuildMs, resetModelForBench, allNames } from '../src/explain';

const out = (name: string, value: string | number) => console.log(`${name}: ${value}`);
const ms = (v: number) => v.toFixed(3);

const FUNCTIONS = ['nested_vmx_check_host_state', 'nested_vmx_load_cr3', 'load_vmcs12_host_state', 'setup_vmcs_config', 'prepare_vmcs02', 'vmx_set_nested_state'];
const BODY = [
  '\tif (CC(!nested_host_cr0_valid(vcpu, vmcs12->host_cr0)) ||',
  '\t    CC(kvm_vcpu_is_illegal_gpa(vcpu, vmcs12->host_cr3)))',
  '\t\treturn -EINVAL;',
  '\tvmcs_write64(VM_ENTRY_MSR_LOAD_ADDR, 0x0000200a);',
  '\tvcpu->arch.cr0_guest_owned_bits = KVM_POSSIBLE_CR0_GUEST_BITS;',
  '\tif (vmcs_config.vmexit_ctrl & VM_EXIT_LOAD_IA32_EFER)',
  '\t\tcr3 &= ~(BIT_ULL(62) | BIT_ULL(61));',
  '\tkvm_make_request(KVM_REQ_GET_NESTED_STATE_PAGES, vcpu);',
  '\trdmsr(MSR_IA32_VMX_PROCBASED_CTLS2, low, high);',
  '\treturn nested_vmx_failValid(vcpu, VMXERR_ENTRY_INVALID_HOST_STATE_FIELD);',
];

function patch(index: number, total: number): string {
  const L = [`From ${index.toString(16).padStart(40, '0')} Mon Sep 17 00:00:00 2001`, 'From: Bench Author <bench@example.org>', 'Date: Mon, 6 May 2024 10:00:00 +0200',
    `Subject: [PATCH v3 ${index}/${total}] KVM: nVMX: generated change ${index}`, '',
    'Use kvm_vcpu_is_legal_cr3() for HOST_CR3 so that CR3.LAM_U48 (bit 62) and LAM_U57 (bit 61) pass; VMfailValid 8 otherwise.', '', 'Signed-off-by: Bench Author <bench@example.org>', '---'];
  for (let f = 0; f < 3; f++) {
    const file = `arch/x86/kvm/vmx/nested_${index}_${f}.c`;
    L.push(`diff --git a/${file} b/${file}`, 'index 1111111..2222222 100644', `--- a/${file}`, `+++ b/${file}`);
    for (let h = 0; h < 4; h++) {
      const fn = FUNCTIONS[(index + f + h) % FUNCTIONS.length];
      L.push(`@@ -${100 + h * 40},12 +${100 + h * 40},12 @@ static int ${fn}(struct kvm_vcpu *vcpu,`);
      BODY.forEach((line, i) => {
        if (i === 1) L.push('-' + line, '+' + line.replace('kvm_vcpu_is_illegal_gpa', '!kvm_vcpu_is_legal_cr3'));
        else L.push(' ' + line);
      });
    }
  }
  L.push('-- ', '2.45.0', '');
  return L.join('\n');
}

function series(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 1; size < bytes; i++) { const p = patch(i, 999); parts.push(p); size += p.length; }
  return parts.join('\n');
}

function percentile(sorted: number[], p: number): number { return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]; }

// Model load: lazy (nothing built at import), then the first use builds it.
out('model built before first use', modelBuildMs() === 0 ? 'no (lazy)' : 'yes');
const t0 = performance.now();
explain('nested_vmx_load_cr3');
out('model first use incl. build (ms)', ms(performance.now() - t0));
out('model build (ms)', ms(modelBuildMs()));
const builds: number[] = [];
for (let i = 0; i < 20; i++) { resetModelForBench(); const s = performance.now(); allNames(); builds.push(performance.now() - s); }
builds.sort((a, b) => a - b);
out('model rebuild p50 (ms)', ms(percentile(builds, 0.5)));
out('model entities', allNames().length);

// Hover compute on a 1 MB series, warm.
const text = series(1024 * 1024);
const doc = parsePatchDocument(text);
const lines = text.split('\n');
out('series size (KB)', (text.length / 1024).toFixed(0));
out('series hunks', doc.hunks.length);
const positions: [number, number][] = [];
let seed = 12345;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
while (positions.length < 20000) {
  const row = Math.floor(rand() * lines.length);
  const words = [...lines[row].matchAll(/[A-Za-z_0-9]+/g)];
  if (!words.length) continue;
  const w = words[Math.floor(rand() * words.length)];
  positions.push([row, w.index! + Math.floor(w[0].length / 2)]);
}
for (const [row, col] of positions.slice(0, 2000)) computeHover(lines[row], row, col, doc.hunks); // warm-up
const times: number[] = [];
let shown = 0, withHunk = 0;
for (const [row, col] of positions) {
  const s = performance.now();
  const h = computeHover(lines[row], row, col, doc.hunks);
  times.push(performance.now() - s);
  if (h) shown++;
  if (h?.hunkChange) withHunk++;
}
times.sort((a, b) => a - b);
out('hover samples', times.length);
out('hover shown (%)', ((100 * shown) / times.length).toFixed(1));
out('hover with hunk summary (%)', ((100 * withHunk) / times.length).toFixed(1));
out('hover p50 warm (ms)', ms(percentile(times, 0.5)));
out('hover p95 warm (ms)', ms(percentile(times, 0.95)));
out('hover p99 warm (ms)', ms(percentile(times, 0.99)));
