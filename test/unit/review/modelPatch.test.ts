// The model engine's reading of patches it has no check for, and diverge over them: table-driven
// synthetic patches (written here), each with what the model must make of it and what diverge finds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePatchDocument } from '../../../src/diff';
import { readModelPatch } from '../../../src/review/modelPatch';
import { divergeModel } from '../../../src/review/modelDiverge';

const patch = (fn: string, body: string, file = 'arch/x86/kvm/vmx/nested.c') => `diff --git a/${file} b/${file}
--- a/${file}
+++ b/${file}
@@ -100,7 +100,9 @@ static int ${fn}(struct kvm_vcpu *vcpu,
${body}`;

const cases: {
  name: string; path: string; text: string;
  changes: { kind: string; check?: RegExp; placedAfter?: string; guard?: RegExp; after?: RegExp; reason?: RegExp }[];
  witness?: { changes: RegExp; before: string; after: string; decidedAt?: RegExp };
}[] = [
  {
    name: 'a new CC() check behind a control bit: guard set, constant crossed',
    path: 'nested-vmentry',
    text: patch('nested_vmx_check_host_state', ` 	if (CC(!kvm_vcpu_is_legal_cr3(vcpu, vmcs12->host_cr3)))
 		return -EINVAL;
 
+	if ((vmcs12->vm_exit_controls & VM_EXIT_LOAD_IA32_PAT) &&
+	    CC(vmcs12->host_ia32_sysenter_esp > 0x100000))
+		return -EINVAL;
+
 	if (CC(is_noncanonical_address(vmcs12->host_ia32_sysenter_esp, vcpu)) ||
 	    CC(is_noncanonical_address(vmcs12->host_ia32_sysenter_eip, vcpu)))
 		return -EINVAL;
`),
    changes: [{ kind: 'added', check: /^patch:nested_vmx_check_host_state:/, placedAfter: 'host-cr3', guard: /VM_EXIT_LOAD_IA32_PAT/, after: /^vmcs12->host_ia32_sysenter_esp > 0x100000$/ }],
    witness: { changes: /HOST_IA32_SYSENTER_ESP = 0x100001/, before: 'entered', after: 'vmfail-valid', decidedAt: /^model:patch:nested_vmx_check_host_state:/ },
  },
  {
    name: 'a removed check is removed on the after side',
    path: 'nested-vmentry',
    text: patch('nested_vmx_check_host_state', ` 	if (CC(!nested_host_cr0_valid(vcpu, vmcs12->host_cr0)) ||
-	    CC(!nested_host_cr4_valid(vcpu, vmcs12->host_cr4)))
+	    false)
 		return -EINVAL;
`),
    changes: [{ kind: 'removed', check: /^host-cr4$/ }],
    witness: { changes: /HOST_CR4/, before: 'vmfail-valid', after: 'entered', decidedAt: /^model:host-cr4$/ },
  },
  {
    name: 'an early success is listed, not guessed',
    path: 'nested-vmentry',
    text: patch('nested_vmx_check_host_state', ` 	if (CC(!kvm_vcpu_is_legal_cr3(vcpu, vmcs12->host_cr3)))
 		return -EINVAL;
+	if (vmcs12->host_cr3 == 0x1000)
+		return 0;
 	if (CC(is_noncanonical_address(vmcs12->host_ia32_sysenter_esp, vcpu)))
`),
    changes: [{ kind: 'unplaced', reason: /early return 0/ }],
  },
  {
    name: 'a branch with a side effect only is listed with the call',
    path: 'set-nested-state',
    text: patch('vmx_set_nested_state', ` 	if (kvm_state->hdr.vmx.vmcs12_pa == INVALID_GPA) {
+		if (kvm_state->flags & KVM_STATE_NESTED_EVMCS)
+			kvm_make_request(KVM_REQ_GET_NESTED_STATE_PAGES, vcpu);
 	}
`),
    changes: [{ kind: 'unplaced', reason: /kvm_make_request\(\)/ }],
  },
  {
    name: 'a function the model has no checks for',
    path: 'nested-vmentry',
    text: patch('nested_vmx_foo', `+	if (CC(vmcs12->host_cr3 == 5))
+		return -EINVAL;
`),
    changes: [{ kind: 'unplaced', reason: /no modeled checks|not on the/ }],
  },
  {
    name: 'a comment-only hunk changes nothing',
    path: 'nested-vmentry',
    text: patch('nested_vmx_load_cr3', ` {
+	/* Re-initialize the MMU, e.g. to pick up CR4 MMU role changes. */
 	if (CC(!kvm_vcpu_is_legal_cr3(vcpu, cr3))) {
`),
    changes: [],
  },
];

for (const c of cases) {
  test(`model patch: ${c.name}`, async () => {
    const doc = parsePatchDocument(c.text);
    const mp = readModelPatch(c.path, doc);
    assert.equal(mp.changes.length, c.changes.length, JSON.stringify(mp.changes));
    c.changes.forEach((want, i) => {
      const got = mp.changes[i];
      assert.equal(got.kind, want.kind, JSON.stringify(got));
      if (want.check) assert.match(got.check ?? '', want.check);
      if (want.placedAfter) assert.equal(got.placedAfter, want.placedAfter);
      if (want.guard) assert.match(got.guard ?? '', want.guard);
      if (want.after) assert.match(got.after ?? '', want.after);
      if (want.reason) assert.match(got.reason ?? '', want.reason);
    });
    assert.equal(mp.notSimulated, c.changes.filter(x => x.kind === 'unplaced').length);
    const r = await divergeModel(c.path, { base: 'default' }, doc, { maxMs: 20000 });
    if (!c.witness) { assert.equal(r.witnesses.length, 0); return; }
    const w = r.witnesses.find(x => x.after.outcome.kind === c.witness!.after && x.before.outcome.kind === c.witness!.before);
    assert.ok(w, `a witness ${c.witness.before} → ${c.witness.after} among ${r.witnesses.map(x => `${x.before.outcome.kind} → ${x.after.outcome.kind}`).join(', ')}`);
    assert.match(w.changes.map(x => x.label).join(' + '), c.witness.changes);
    assert.equal(w.before.outcome.kind, c.witness.before);
    assert.equal(w.after.outcome.kind, c.witness.after);
    if (c.witness.decidedAt) assert.match(w.decidedAt, c.witness.decidedAt);
  });
}
