// The front end over the default tree (Debian linux-source-6.12, 6.12.118): what the paths need is
// there and points at the real lines; caches (memory, persistent) give the same program without
// parsing; a changed file re-prepares only the units that read it. Skips when the tree is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clearPrepared, deserialise, prepareFiles, prepareTree, prepareTreeAsync, serialise, UNITS, type PreparedTree } from '../../../src/kernel/front';
import { fsPrepCache, fsTreeReader } from '../../../src/io/tree';
import type { TreeReader } from '../../../src/kernel/types';
import { cParser } from './cparse';

const ROOT = path.join(__dirname, '../../../.cache/linux-source-6.12');
const present = fs.existsSync(path.join(ROOT, 'arch/x86/kvm/vmx/nested.c'));
const SKIP = 'default tree absent: run node scripts/setup-tree.mjs';

let prepared: Promise<PreparedTree> | null = null;
function prep(): Promise<PreparedTree> {
  prepared ??= (async () => { clearPrepared(); return prepareTree(fsTreeReader(ROOT), { parser: await cParser() }); })();
  return prepared;
}
const lineOf = (file: string, line: number): string => fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n')[line - 1] ?? '';

// function → its file, and a piece of its first line in the tree
const FUNCTIONS: [name: string, file: string][] = [
  ['nested_vmx_run', 'arch/x86/kvm/vmx/nested.c'],
  ['nested_vmx_check_controls', 'arch/x86/kvm/vmx/nested.c'],
  ['nested_vmx_check_host_state', 'arch/x86/kvm/vmx/nested.c'],
  ['nested_vmx_vmexit', 'arch/x86/kvm/vmx/nested.c'],
  ['vmx_set_nested_state', 'arch/x86/kvm/vmx/nested.c'],
  ['nested_vmx_setup_ctls_msrs', 'arch/x86/kvm/vmx/nested.c'],
  ['setup_vmcs_config', 'arch/x86/kvm/vmx/vmx.c'],
  ['vmx_hardware_setup', 'arch/x86/kvm/vmx/vmx.c'],
  ['vmx_set_cr0', 'arch/x86/kvm/vmx/vmx.c'],
  ['kvm_set_cr0', 'arch/x86/kvm/regs.c'],
  ['kvm_set_cr3', 'arch/x86/kvm/regs.c'],
  ['to_vmx', 'arch/x86/kvm/vmx/vmx.h'],
  ['get_vmcs12', 'arch/x86/kvm/vmx/nested.h'],
  ['kvm_find_cpuid_entry', 'arch/x86/kvm/cpuid.c'],
];

for (const [name, file] of FUNCTIONS) {
  test(`front (default tree): ${name} is in ${file} at its real line`, async t => {
    if (!present) { t.skip(SKIP); return; }
    const f = (await prep()).program.functions.get(name);
    assert.ok(f, `${name} prepared`);
    assert.equal(f.file, file);
    // the definition's first line (return type may sit on the line before the name)
    const text = lineOf(file, f.line) + lineOf(file, f.line + 1);
    assert.match(text, new RegExp(`\\b${name}\\(`));
    assert.ok(f.endLine > f.line && /^}/.test(lineOf(file, f.endLine)), `${name} ends at a closing brace`);
    assert.ok(f.body.body.length > 0);
  });
}

test('front (default tree): every unit is there; struct vmcs12 from vmcs12.h; module parameters; vmcs12 field table', async t => {
  if (!present) { t.skip(SKIP); return; }
  const p = (await prep()).program;
  for (const u of UNITS) assert.ok([...p.functions.values(), ...p.globals.values()].some(f => f.file === u.file), `functions or tables from ${u.file}`);
  const v = p.structs.get('struct vmcs12');
  assert.ok(v && v.file === 'arch/x86/kvm/vmx/vmcs12.h' && v.packed === true);
  for (const field of ['guest_ia32_debugctl', 'host_cr3', 'vm_entry_controls', 'vmcs_link_pointer']) assert.ok(v.fields.some(f => f.name === field), field);
  assert.equal(p.moduleParams.get('enable_ept'), 'ept');
  assert.equal(p.moduleParams.get('nested'), 'nested');
  const offs = p.globals.get('vmcs12_field_offsets');
  assert.ok(offs && offs.type.k === 'array' && offs.type.length !== null && offs.type.length > 1000, 'length from the designated initializer');
  assert.ok((p.enumerators.get('GUEST_IA32_DEBUGCTL') ?? 0n) > 0n);
  assert.ok(p.macros.has('VM_EXIT_HOST_ADDR_SPACE_SIZE'));
  assert.ok(p.typedefs.has('u64'));
});

test('front (default tree): the .c files parse without tree-sitter errors at top level; unsupported nodes are few and have reasons', async t => {
  if (!present) { t.skip(SKIP); return; }
  const pt = await prep();
  for (const u of UNITS) assert.ok(!pt.program.notes.some(n => n.startsWith(`${u.file}:`) && /not parsed/.test(n)), `${u.file}: ${pt.program.notes.filter(n => n.startsWith(u.file)).join('; ')}`);
  assert.ok((pt.program.unsupported ?? 0) < 400, `unsupported ${pt.program.unsupported}`);
});

test('front (default tree): warm preparation comes from memory, the persistent cache gives the same program', async t => {
  if (!present) { t.skip(SKIP); return; }
  const cold = await prep();
  const parser = await cParser();
  const warm = prepareTree(fsTreeReader(ROOT), { parser });
  assert.equal(warm.stats.source, 'memory');
  assert.equal(warm.stats.filesParsed, 0);
  assert.equal(warm.program, cold.program);
  const back = deserialise(serialise(cold))!;
  assert.equal(back.program.functions.size, cold.program.functions.size);
  assert.deepEqual(back.program.structs.get('struct vmcs12'), cold.program.structs.get('struct vmcs12'));
  assert.deepEqual(back.program.functions.get('nested_vmx_check_controls'), cold.program.functions.get('nested_vmx_check_controls'));
  // through the fs cache in a fresh "process" (memory cleared): the warm call stored it there
  const cache = fsPrepCache(fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-prep-')));
  const first = prepareTree(fsTreeReader(ROOT), { parser, cache });
  assert.equal(first.stats.source, 'memory');
  clearPrepared();
  const second = prepareTree(fsTreeReader(ROOT), { parser, cache });
  assert.deepEqual([second.stats.source, second.stats.filesParsed], ['disk', 0]);
  assert.equal(second.program.functions.size, cold.program.functions.size);
  prepared = Promise.resolve(second);
});

test('front (default tree): a patched file re-prepares only the units that read it', async t => {
  if (!present) { t.skip(SKIP); return; }
  const base = await prep();
  const parser = await cParser();
  const fsr = fsTreeReader(ROOT);
  const file = 'arch/x86/kvm/vmx/nested.c';
  const text = fsr.read(file)!.replace(/\nstatic int nested_vmx_check_controls\(/, '\n/* one more line */\n\nstatic int nested_vmx_check_controls(');
  const after: TreeReader = { root: fsr.root, read: p => (p === file ? text : fsr.read(p)), stamp: p => (p === file ? 'patched' : fsr.stamp(p)) };
  const res = prepareFiles(base, after, [file], { parser });
  const before = base.program.functions.get('nested_vmx_check_controls')!;
  assert.equal(res.program.functions.get('nested_vmx_check_controls')!.line, before.line + 2);
  assert.equal(res.stats.filesParsed, 1, 'only nested.c parsed again (its headers are unchanged)');
  assert.equal(res.program.functions.get('vmx_set_cr0'), base.program.functions.get('vmx_set_cr0'), 'vmx.c taken as it was');
  assert.equal(base.program.functions.get('nested_vmx_check_controls'), before, 'the base program is not changed');
});

test('front: prepareTreeAsync pauses between units and files and gives what prepareTree gives (small tree)', async () => {
  const files: Record<string, string> = {
    'a.c': '#include "h.h"\nint fa(void) { return H; }\n',
    'b.c': '#include "h.h"\nstatic int fb(int x) { return x + H; }\n',
    'h.h': '#ifndef H_H\n#define H_H\n#define H 3\nstruct s { int a; };\n#endif\n',
  };
  const tree: TreeReader = { root: `/async-${process.pid}`, read: p => files[p], stamp: p => (p in files ? '1' : undefined) };
  const parser = await cParser();
  const opts = { parser, units: ['a.c', 'b.c'], parse: (p: string) => p.endsWith('.c') || p === 'h.h' };
  clearPrepared();
  let pauses = 0;
  const a = await prepareTreeAsync(tree, { ...opts, pause: async () => { pauses++; } });
  assert.ok(pauses >= 4, `paused ${pauses} times`);
  assert.deepEqual([...a.program.functions.keys()].sort(), ['fa', 'fb']);
  assert.ok(a.program.structs.has('struct s'));
  assert.equal(prepareTree(tree, opts).stats.source, 'memory');
  clearPrepared();
  const b = prepareTree(tree, opts);
  assert.deepEqual([...b.program.functions.keys()].sort(), ['fa', 'fb']);
  assert.equal(b.program.functions.get('fb')!.line, 2);
});
