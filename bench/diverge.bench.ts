// Divergence search speed (issue 9): `diverge` from the default scenario on a typical one-check
// patch (a changed CC() condition in nested_vmx_check_host_state, written here), on the model
// engine, cold (first run: the model's tables and parsed conditions loaded) and warm. Prints
// `name: value` lines; no assertions (speed is reported, not tested).
//   node --import tsx bench/diverge.bench.ts
import { parsePatchDocument } from '../src/diff';
import { divergeModel } from '../src/review/modelDiverge';

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
}

void main();
