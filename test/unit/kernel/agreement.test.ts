// Both engines side by side: every acceptance case (test/fixtures/acceptance/cases.json) runs
// through the model engine (simulate) and the kernel engine (simulateKernel on the default tree).
// Each disagreement is listed; the test fails on one that is not in KNOWN_DIFFERENCES (reviewed,
// with the reason: a model bug, an engine bug, or a behaviour of 6.12.118 that v6.12.0 lacks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { simulate } from '../../../src/sim/index';
import { simulateKernel, kernelPaths } from '../../../src/kernel/engine';
import { HAVE_TREE, defaultProgram, reader, treeInfo } from './engineTree';

interface Case { id: string; path: string; scenario: unknown; expect: Record<string, unknown> }
const cases: Case[] = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../fixtures/acceptance/cases.json'), 'utf8')).cases;

const HEX = new Set(['exitReason', 'exitQualification']);
/** The fields of an outcome that differ (hex strings compared numerically). */
export function outcomeDiff(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[k], y = b[k];
    if (HEX.has(k) && typeof x === 'string' && typeof y === 'string') { if (BigInt(x) !== BigInt(y)) out.push(k); continue; }
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push(k);
  }
  return out;
}


const KNOWN_DIFFERENCES: Record<string, string> = {
  // engine gap: the model reports the SMM state a restore leaves (vmxon, smm) as outcome fields; the kernel engine reports the contract's fields only
  'sns-in-smm-vmxon-ok': 'engine: the SMM state after the restore (vmxon, smm) is not reported by the kernel engine',
  'msrload-entry-too-many': 'model bug: the scenario lists no entries, so guest memory holds zeroed entries and nested_vmx_load_msr fails on entry 1 '
    + '(MSR index 0 cannot be written: exit qualification 1); the model treats absent entries as loadable and reports the 513th',
  'evmcs-failvalid-without-vmptr': 'model bug: struct hv_enlightened_vmcs has no CR3-target count that copy_enlightened_to_vmcs12 copies, and '
    + 'nested_vmx_handle_enlightened_vmptrld clears vmcs12 when it maps the eVMCS, so KVM sees count 0 and enters L2',
  'cr3-pae-lam-bit-gp': 'model bug: outside 64-bit mode kvm_register_read() truncates the source register to 32 bits, so CR3 becomes 0x3000 '
    + 'with valid PDPTEs; the model checks the 64-bit value',
  'load-no-vmx': 'model bug (warnings only): kvm_is_vmx_supported logs pr_err("VMX not supported by CPU %d"), which the model leaves out',
};

test('agreement: every acceptance case through the model and the kernel engine', { skip: !HAVE_TREE && 'default tree not installed' }, async () => {
  const program = await defaultProgram();
  const tree = treeInfo();
  const paths = new Set(kernelPaths());
  const rows: { id: string; path: string; fields: string[]; model: unknown; kernel: unknown; incomplete?: string }[] = [];
  let agree = 0, run = 0;
  for (const c of cases) {
    if (!paths.has(c.path)) continue;
    run++;
    const m = simulate(c.path, c.scenario, { trace: false });
    const k = simulateKernel(program, tree, c.path, c.scenario, { trace: false, reader });
    const fields = outcomeDiff(m.outcome, k.outcome);
    if (JSON.stringify(m.warnings) !== JSON.stringify(k.warnings)) fields.push('warnings');
    if (!fields.length) { agree++; continue; }
    rows.push({ id: c.id, path: c.path, fields, model: { outcome: m.outcome, warnings: m.warnings }, kernel: { outcome: k.outcome, warnings: k.warnings }, incomplete: k.incomplete });
  }
  console.log(`agreement: ${agree} of ${run} acceptance cases on the kernel engine's paths (${cases.length} in the suite); ${rows.length} known differences`);
  const unexplained = rows.filter(r => !Object.hasOwn(KNOWN_DIFFERENCES, r.id));
  for (const r of unexplained.slice(0, 40)) console.log(JSON.stringify(r));
  assert.deepEqual(unexplained.map(r => r.id), []);
  // the table holds no stale rows: every known difference still differs
  const stale = Object.keys(KNOWN_DIFFERENCES).filter(id => !rows.some(r => r.id === id));
  assert.deepEqual(stale, [], 'known differences that now agree: remove them');
});
