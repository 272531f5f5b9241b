// The engine choice in a real extension host: with no Linux checkout open, "Simulate this path"
// runs the kernel engine on the default tree and the panel says so; the setting
// kvmPatchReview.kernelTree wins over it (here: a symlink to the same tree, under another name);
// a setting that names no tree is ignored (the default tree again). Skips without the default tree.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { activate, open, ROOT } from './util';

const DEFAULT = path.join(ROOT, '.cache/linux-source-6.12');
type View = { engine?: { name: string; tree?: { path: string; version: string } }; result: { outcome: { kind: string }; failedCheck: { location?: string } | null } | null };

async function simulateView(): Promise<View> {
  await open('samples/lam-cr3.patch');
  await vscode.commands.executeCommand('kvmPatchReview.simulatePath', { pathId: 'nested-vmentry', scenario: 'default' });
  return (await vscode.commands.executeCommand<View>('kvmPatchReview.internal.simulationView'))!;
}

describe('kernel engine choice in a real extension host', () => {
  before(activate);
  const config = () => vscode.workspace.getConfiguration('kvmPatchReview');
  after(async () => { await config().update('kernelTree', undefined, vscode.ConfigurationTarget.Global); });

  it('runs the kernel engine on the default tree when no checkout is open, and the panel names it', async function () {
    if (!fs.existsSync(path.join(DEFAULT, 'arch/x86/kvm/vmx/nested.c'))) this.skip();
    const view = await simulateView();
    assert.equal(view.engine?.name, 'kernel');
    assert.deepEqual(view.engine?.tree, { path: DEFAULT, version: '6.12.118' });
    assert.equal(view.result?.outcome.kind, 'entered');
  });

  it('the setting kvmPatchReview.kernelTree wins; one that names no tree is ignored', async function () {
    if (!fs.existsSync(path.join(DEFAULT, 'arch/x86/kvm/vmx/nested.c'))) this.skip();
    const link = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-host-tree-')), 'my-linux');
    fs.symlinkSync(DEFAULT, link);
    await config().update('kernelTree', link, vscode.ConfigurationTarget.Global);
    const viaSetting = await simulateView();
    assert.equal(viaSetting.engine?.name, 'kernel');
    assert.equal(viaSetting.engine?.tree?.path, link);
    await config().update('kernelTree', path.join(os.tmpdir(), 'no-such-linux-tree'), vscode.ConfigurationTarget.Global);
    const ignored = await simulateView();
    assert.equal(ignored.engine?.tree?.path, DEFAULT);
  });
});
