// Divergence search speed (issue 9): `diverge` from the default scenario on a typical one-check
// patch (a changed CC() condition in nested_vmx_check_host_state, written here), on the model
// engine, cold (first run: the model's tables and parsed conditions loaded) and warm. Prints
// `name: value` lines; no assertions (speed is reported, not tested). Then the same question on the
// kernel engine over the default tree (skipped when absent): a one-check patch made here from
// nested.c's own lines (a new CC() check after the CET/WP host check), the tree prepared first
// (persistent cache), diverge with the panel's budget (1500 ms) cold and warm.
//   node --import tsx bench/diverge.bench.ts
import fs from 'node:fs';
import path from 'node:path';
import { parsePatchDocument } from '../src/diff';
import { divergeModel, MODEL_ENGINE } from '../src/review/modelDiverge';
import { divergeWith } from '../src/review/engine';
import { kernelDivergeEngine } from '../src/review/kernelDiverge';
import { kernelCompareDeps } from '../src/review/kernelCompare';
import { prepareTree } from '../src/kernel/front';
import { fsPrepCache, fsTreeReader } from '../src/io/tree';
import { loadCParser } from '../src/io/kernelEngine';

const PATCH = `diff --git a/arch/x86/kvm/vmx/nested.c b/arch/x86/kvm/vmx/nested.c
--- a/arch/x86/kvm/vmx/nested.c
+++ b/arch/x86/kvm/vmx/nested.c
@@ -2991,7 +2991,7 @@ static int nested_vmx_check_host_state(struct kvm_vcpu *vcpu,
 	    CC(!nested_cr4_valid(vcpu, vmcs12->host_cr4)))
 		return -EINVAL;
 
-	if (CC(kvm_vcpu_is_illegal_gpa(vcpu, vmcs12->host_cr3)))
+	if (CC(!kvm_vcpu_is_legal_cr3(vcpu, vmcs12->host_cr3)))
 		return -EINVAL;
 
 	if (CC(is_noncanonical_address(vmcs12->host_ia32_sysenter_esp, vcpu)) ||
`;

async function main(): Promise<void> {
  const doc = parsePatchDocument(PATCH);
  const t0 = performance.now();
  const cold = await divergeModel('nested-vmentry', { base: 'default' }, doc, { maxMs: 10000 });
  const coldMs = performance.now() - t0;
  const runs = 5;
  const t1 = performance.now();
  let last = cold;
  for (let i = 0; i < runs; i++) last = await divergeModel('nested-vmentry', { base: 'default' }, doc, { maxMs: 10000 });
  const warmMs = (performance.now() - t1) / runs;
  console.log(`diverge.one_check_patch_engine: ${last.engine}`);
  console.log(`diverge.one_check_patch_cold_ms: ${coldMs.toFixed(0)}`);
  console.log(`diverge.one_check_patch_ms: ${warmMs.toFixed(0)}`);
  console.log(`diverge.one_check_patch_searched: ${last.searched}`);
  console.log(`diverge.one_check_patch_witnesses: ${last.witnesses.length} (${last.witnesses.map(w => `${w.changes.map(c => c.label).join(' + ')}: ${w.before.outcome.kind} → ${w.after.outcome.kind}`).join('; ')})`);
  console.log(`diverge.one_check_patch_complete: ${last.complete}`);
  await kernelBench();
}

async function kernelBench(): Promise<void> {
  const root = path.join(__dirname, '../.cache/linux-source-6.12');
  const nested = 'arch/x86/kvm/vmx/nested.c';
  if (!fs.existsSync(path.join(root, nested))) { console.log('diverge.kernel: skipped (default tree absent: node scripts/setup-tree.mjs)'); return; }
  const nm = path.join(__dirname, '../node_modules');
  const parser = await loadCParser({ runtime: fs.readFileSync(path.join(nm, 'web-tree-sitter/web-tree-sitter.wasm')), language: fs.readFileSync(path.join(nm, 'tree-sitter-c/tree-sitter-c.wasm')) });
  const tree = fsTreeReader(root);
  const info = { path: root, version: /^SUBLEVEL\s*=\s*(\d+)/m.exec(tree.read('Makefile') ?? '') ? `6.12.${/^SUBLEVEL\s*=\s*(\d+)/m.exec(tree.read('Makefile') ?? '')![1]}` : '6.12' };
  const prepare = { parser, cache: fsPrepCache() };
  const t0 = performance.now();
  prepareTree(tree, prepare);
  console.log(`diverge.kernel_tree_prepare_ms: ${(performance.now() - t0).toFixed(0)} (not in the figures below)`);
  const lines = tree.read(nested)!.split('\n');
  const at = lines.findIndex(l => l.includes('CC(vmcs12->host_cr4 & X86_CR4_CET && !(vmcs12->host_cr0 & X86_CR0_WP))')) + 3;
  const ctx = (a: number, b: number) => lines.slice(a - 1, b).map(l => ` ${l}`);
  const doc = parsePatchDocument([`diff --git a/${nested} b/${nested}`, `--- a/${nested}`, `+++ b/${nested}`, `@@ -${at - 3},6 +${at - 3},9 @@`, ...ctx(at - 3, at - 1),
    '+\tif (CC(vmcs12->host_ia32_sysenter_esp & 0xf))', '+\t\treturn -EINVAL;', '+', ...ctx(at, at + 2), ''].join('\n'));
  const engines = [kernelDivergeEngine({ tree, info, deps: kernelCompareDeps({ prepare, tree: info }) }), MODEL_ENGINE];
  const one = async () => {
    const t = performance.now();
    const r = await divergeWith(engines, 'nested-vmentry', { base: 'default' }, doc, { maxMs: 1500 });
    return { r, ms: performance.now() - t };
  };
  const cold = await one();
  const warm: number[] = [];
  let last = cold.r;
  for (let i = 0; i < 3; i++) { const x = await one(); warm.push(x.ms); last = x.r; }
  console.log(`diverge.kernel_one_check_patch_engine: ${last.engine} (${info.version}, patch ${last.applied})`);
  console.log(`diverge.kernel_one_check_patch_cold_ms: ${cold.ms.toFixed(0)} (the patched nested.c prepared, first runs)`);
  console.log(`diverge.kernel_one_check_patch_ms: ${(warm.reduce((a, b) => a + b, 0) / warm.length).toFixed(0)} (target < 2000; search budget 1500)`);
  console.log(`diverge.kernel_one_check_patch_searched: ${last.searched} scenarios, ${(last.elapsedMs / Math.max(1, last.searched)).toFixed(0)} ms per before/after pair`);
  console.log(`diverge.kernel_one_check_patch_witnesses: ${last.witnesses.length} (${last.witnesses.map(w => `${w.changes.map(c => c.label).join(' + ')}: ${w.before.outcome.kind} → ${w.after.outcome.kind} at ${w.decidedAt}`).join('; ')})`);
  console.log(`diverge.kernel_one_check_patch_complete: ${last.complete}${last.truncated ? ' (stopped at the budget)' : ''}`);
}

void main();
