// Names written the way they appear in C: with struct/#define, as member paths, with ->.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explain } from '../../../src/explain';

test('explain reads C spellings: struct X, #define X, a->b.c, and member tails', () => {
  assert.equal(explain('struct vmcs12')[0]?.name, 'vmcs12');
  assert.equal(explain('#define KVM_POSSIBLE_CR0_GUEST_BITS')[0]?.name, 'KVM_POSSIBLE_CR0_GUEST_BITS');
  assert.equal(explain('vmx->nested.hv_evmcs_vmptr')[0]?.name, 'nested_vmx.hv_evmcs_vmptr');
  assert.equal(explain('smm.flags')[0]?.name, 'kvm_vmx_nested_state_hdr.smm.flags');
  assert.equal(explain('kvm_vmx_nested_state_hdr.smm.flags')[0]?.name, 'kvm_vmx_nested_state_hdr.smm.flags');
});
