// The foundation's end-to-end slice, through the real VS Code API in the extension host.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { activate, open, positionOf, hoverText, codeLenses, eventually, seedFile } from './util';

describe('KVM Patch Review in a real extension host', () => {
  before(activate);

  it('opens .patch files in the kvm-patch language', async () => {
    const document = await open('samples/lam-cr3.patch');
    assert.equal(document.languageId, 'kvm-patch');
  });

  it('explains nested_vmx_load_cr3 on hover in a patch', async () => {
    const document = await open('samples/lam-cr3.patch');
    const text = await hoverText(document, positionOf(document, 'nested_vmx_load_cr3(struct', 3));
    assert.match(text, /nested_vmx_load_cr3/);
    assert.match(text, /function/i);
    assert.match(text, /CR3/);
  });

  it('explains a VMCS field encoding and an MSR name on hover', async () => {
    const document = await open('samples/review-reply.eml', 'kvm-patch');
    assert.match(await hoverText(document, positionOf(document, 'VM_ENTRY_LOAD_IA32_EFER', 4)), /0x8000/);
    assert.match(await hoverText(document, positionOf(document, 'setup_vmcs_config', 3)), /capability MSRs/);
  });

  it('puts a "Simulate this path" lens on the hunk that changes nested_vmx_load_cr3', async () => {
    const document = await open('samples/lam-cr3.patch');
    const lenses = await eventually(async () => { const l = await codeLenses(document); return l.length ? l : undefined; }, 'code lenses');
    const titles = lenses.map(l => l.command?.title ?? '');
    assert.ok(titles.some(t => /Simulate this path: nested-vmentry \(nested_vmx_load_cr3\)/.test(t)), titles.join(' | '));
    const lens = lenses.find(l => l.command?.title.includes('nested_vmx_load_cr3'))!;
    assert.equal(lens.range.start.line, positionOf(document, '@@ -1095').line);
  });

  it('a lens gets its witness count once the background search knows it', async () => {
    const document = await open('samples/lam-cr3.patch');
    const title = await eventually(async () => (await codeLenses(document)).map(l => l.command?.title ?? '').find(t => /nested-vmentry \(nested_vmx_load_cr3\) · ≥?\d+ witness/.test(t)), 'a witness count on the lens');
    // two classes (GUEST_CR3 and HOST_CR3 with a LAM bit); "≥" while the 1 s search was not exhaustive
    assert.match(title, /· (?:2 witnesses|≥[12] witness(?:es)?)$/);
  });

  it('no lens on hunks that only change comments (seed 004)', async function () {
    const seed = seedFile('004');
    if (!seed) { this.skip(); return; }
    const document = await open(seed, 'kvm-patch');
    // the document is analysed (its hover knows the function), yet every hunk only changes comments
    assert.match(await hoverText(document, positionOf(document, 'nested_vmx_load_cr3(struct', 3)), /nested_vmx_load_cr3/);
    const lenses = await codeLenses(document);
    assert.deepEqual(lenses.map(l => l.command?.title), []);
  });

  it('runs the simulation command from the lens and opens the trace panel', async () => {
    const document = await open('samples/lam-cr3.patch');
    const lens = (await codeLenses(document)).find(l => l.command?.command === 'kvmPatchReview.simulatePath')!;
    const result = await vscode.commands.executeCommand<{ outcome: { kind: string }; trace: unknown[] }>(lens.command!.command, ...(lens.command!.arguments ?? []));
    assert.equal(result.outcome.kind, 'entered');
    assert.ok(result.trace.length > 0);
    const tab = await eventually(() => vscode.window.tabGroups.all.flatMap(g => g.tabs).find(t => t.label.startsWith('KVM Simulation')), 'the simulation panel');
    assert.ok(tab.input instanceof vscode.TabInputWebview);
  });

  it('from a lens in a patch, compares before and after the patch and finds diverging scenarios', async () => {
    const document = await open('samples/lam-cr3.patch');
    const lens = (await codeLenses(document)).find(l => l.command?.title.includes('nested-vmentry (nested_vmx_load_cr3)'))!;
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    const view = await vscode.commands.executeCommand<{ patch: { differs: boolean; changedChecks: { check: string }[] }; scenarioLabel: string;
      answer: { status: string; witnesses: { before: { kind: string }; after: { kind: string } }[] } }>('kvmPatchReview.internal.simulationView');
    // the panel leads with the answer: the default scenario sets no LAM bit, the first witness does
    assert.equal(view.answer.status, 'diverges');
    assert.ok(view.answer.witnesses.some(w => w.before.kind === 'vmfail-valid' && w.after.kind === 'entered'));
    assert.equal(view.patch.differs, true);
    assert.match(view.scenarioLabel, /^default \+ vmcs12\.(?:GUEST|HOST)_CR3=0x[26]000000000001000$/);
    assert.deepEqual(view.patch.changedChecks.map(c => c.check), ['guest-cr3-legal', 'host-cr3']);
    const test = await vscode.commands.executeCommand<vscode.TextDocument>('kvmPatchReview.internal.writeTest', 'kvm-unit-tests');
    assert.equal(test.languageId, 'c');
    // the patched kernel enters L2 with the LAM bit set; before it, VMfailValid 8
    assert.match(test.getText(), /Before the patch: vmfail-valid, vmInstructionError 8[^]*vmcs_write\(HOST_CR3, 0x[24]000000000001000ull\);\n\ttest_vmx_vmlaunch\(0\);/);
    const found = await vscode.commands.executeCommand<{ diverging: { scenario: { vmcs12: Record<string, string> }; before: { outcome: { kind: string } } }[] }>('kvmPatchReview.internal.diverge');
    assert.ok(found.diverging.length > 0);
    assert.ok(found.diverging.some(d => d.scenario.vmcs12.HOST_CR3 === '0x4000000000001000' && d.before.outcome.kind === 'vmfail-valid'));
  });

  it('a redefined macro gets a lens: seed 002 makes CR0.WP guest-owned, so a WP toggle stops exiting', async function () {
    const seed = seedFile('002');
    if (!seed) { this.skip(); return; }
    const document = await open(seed, 'kvm-patch');
    const lenses = await eventually(async () => {
      const l = (await codeLenses(document)).filter(x => {
        const a = x.command?.arguments?.[0] as { pathId?: string; function?: string } | undefined;
        return a?.pathId === 'cr0-write' && a.function === 'KVM_POSSIBLE_CR0_GUEST_BITS';
      });
      return l.length ? l : undefined;
    }, 'the macro lens');
    const [args] = lenses[0].command!.arguments as [Record<string, unknown>];
    await vscode.commands.executeCommand('kvmPatchReview.simulatePath', { ...args, scenario: 'guest-toggles-wp' });
    const view = await vscode.commands.executeCommand<{ patch: { differs: boolean; before: { outcome: { intercepted: boolean } }; after: { outcome: { intercepted: boolean } } } }>('kvmPatchReview.internal.simulationView');
    assert.equal(view.patch.before.outcome.intercepted, true);
    assert.equal(view.patch.after.outcome.intercepted, false);
    assert.equal(view.patch.differs, true);
  });

  it('simulates a path for another scenario preset', async () => {
    const result = await vscode.commands.executeCommand<{ outcome: { kind: string; errno?: string }; warnings: string[] }>(
      'kvmPatchReview.simulatePath', { pathId: 'module-load', scenario: 'inconsistent-entry-exit' });
    assert.equal(result.outcome.kind, 'load-failed');
    assert.equal(result.outcome.errno, 'EIO');
    assert.ok(result.warnings.some(w => /Inconsistent VM-Entry\/VM-Exit pair/.test(w)), result.warnings.join('\n'));
  });

  it('switches any document to the patch language with "Review This File as a Patch"', async () => {
    const document = await vscode.workspace.openTextDocument({ content: 'Some saved page\n@@ -1,2 +1,2 @@\n-a\n+b\n c\n', language: 'plaintext' });
    await vscode.window.showTextDocument(document);
    const language = await vscode.commands.executeCommand<string>('kvmPatchReview.reviewAsPatch');
    assert.equal(language, 'kvm-patch');
  });
});

describe('diff decorations', () => {
  before(activate);

  it('colours the added and removed lines of a quoted patch', async () => {
    await open('samples/review-reply.eml', 'kvm-patch');
    const counts = await eventually(async () => {
      const c = await vscode.commands.executeCommand<{ added: number; removed: number }>('kvmPatchReview.internal.decorationCounts');
      return c && c.added > 0 ? c : undefined;
    }, 'decorations');
    assert.deepEqual(counts, { added: 8, removed: 0 });
  });
});

describe('size limit', () => {
  before(activate);

  it('a document over kvmPatchReview.maxFileSizeMB is not analysed and the Problems panel says why', async () => {
    const config = vscode.workspace.getConfiguration('kvmPatchReview');
    await config.update('maxFileSizeMB', 1, vscode.ConfigurationTarget.Global);
    try {
      const hunk = '@@ -1,1 +1,1 @@ static int f(void)\n-\treturn 0;\n+\treturn 1;\n';
      const document = await vscode.workspace.openTextDocument({ language: 'kvm-patch', content: hunk.repeat(Math.ceil(1.2 * 1048576 / hunk.length)) });
      await vscode.window.showTextDocument(document);
      const message = await eventually(() => vscode.languages.getDiagnostics(document.uri).find(d => /over the 1\.0 MB limit/.test(d.message))?.message, 'the size diagnostic');
      assert.match(message, /raise kvmPatchReview\.maxFileSizeMB/);
      assert.deepEqual(await codeLenses(document), []);
    } finally {
      await config.update('maxFileSizeMB', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
