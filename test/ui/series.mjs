// UI tests of the series review, in code-server against a local public-inbox server holding the
// project's fixture series (v1 and v2): open a series by Message-ID, walk it with the keys, add two
// comments, draft the reply and read it back, mark a patch reviewed and find it kept after a
// reload, see a maintainer-rule diagnostic, compare the two revisions. Screenshots in test-results/.
import fs from 'node:fs';
import path from 'node:path';
import { runCommand, revealLine, shot } from './workbench.mjs';

/** The editor text of the active editor as rendered (visible lines). */
async function visibleText(page) {
  return (await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}
/** Waits until the active editor renders `text` (spaces as the editor renders them). */
async function editorShows(page, text, timeout = 20000) {
  await page.waitForFunction(t => [...document.querySelectorAll('.editor-instance .monaco-editor .view-lines')].some(v => v.textContent.replace(/\u00a0/g, ' ').includes(t)), text, { timeout });
}
/** Types `text` into the active editor's Find widget and waits for its match count. */
async function findInEditor(page, text) {
  await page.keyboard.press('Control+F');
  await page.locator('.find-widget.visible textarea').first().waitFor({ timeout: 10000 });
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
  await page.waitForFunction(t => [...document.querySelectorAll('.find-widget.visible')].some(w => w.querySelector('textarea')?.value === t && /of|No results/.test(w.querySelector('.matchesCount')?.textContent ?? '')), text, { timeout: 10000 });
}
/** Whether Find in the active editor matches `text` (the whole document, not only what is rendered). */
async function documentHas(page, text) {
  await findInEditor(page, text);
  const found = !/No results/.test(await page.locator('.find-widget.visible .matchesCount').first().innerText());
  await page.keyboard.press('Escape');
  return found;
}
async function statusBar(page, text, timeout = 20000) {
  await page.locator('.statusbar-item', { hasText: text }).first().waitFor({ timeout });
}

/** Adds a comment on 1-based `line` of the active editor through the comment UI. */
async function addComment(page, line, text) {
  await revealLine(page, line);
  await runCommand(page, 'Comments: Add Comment on Current Selection');
  const box = page.locator('.review-widget .comment-form textarea, .review-widget .comment-form .monaco-editor textarea').last();
  await box.waitFor({ timeout: 15000 });
  await box.focus();
  await page.keyboard.type(text);
  await page.getByRole('button', { name: 'Add Comment' }).last().click({ timeout: 15000 });
  await page.locator('.review-widget .comment-body', { hasText: text }).first().waitFor({ timeout: 15000 });
}

export async function seriesUiTests({ page, uiTest, workspace, inbox }) {
  await uiTest('Open Series by Message-ID fetches v1 from the local public-inbox server', async () => {
    await page.keyboard.press('Escape');
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'KVM Patch Review: Open Series by Message-ID or URL');
    const input = page.locator('.quick-input-widget input');
    await input.fill('20240506-lam-v1-2@example.org');
    await page.keyboard.press('Enter');
    await page.locator('.editor-instance .view-lines', { hasText: '[PATCH 0/2] KVM: nVMX: Accept LAM bits' }).first().waitFor({ timeout: 60000 });
    // the newer revision is offered
    await page.locator('.notifications-toasts', { hasText: 'A newer revision exists: v2' }).first().waitFor({ timeout: 30000 });
    await shot(page, 'series-open-v1');
    await page.locator('.notifications-toasts .codicon-notifications-clear, .notifications-toasts .codicon-close').first().click().catch(() => page.keyboard.press('Escape'));
  });

  await uiTest('walking the series with alt+shift+j / alt+j / alt+shift+k updates "Patch N of M"', async () => {
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Alt+Shift+J');
    await statusBar(page, 'Patch 1 of 2');
    await page.keyboard.press('Alt+J');
    await statusBar(page, 'Patch 1 of 2');
    await page.keyboard.press('Alt+Shift+J');
    await statusBar(page, 'Patch 2 of 2');
    await page.keyboard.press('Alt+J');
    await statusBar(page, 'Ln 90,');
    await editorShows(page, '@@ -1203,7 +1203,7 @@');
    await shot(page, 'series-walk-patch-2');
    await page.keyboard.press('Alt+Shift+K');
    await statusBar(page, 'Patch 1 of 2');
    await page.keyboard.press('Alt+Shift+J');
    await statusBar(page, 'Patch 2 of 2');
  });

  await uiTest('two comments on patch 2/2 and Draft Reply: the reply quotes their lines and carries them', async () => {
    await addComment(page, await lineOfEditor(page, '+\tif (CC(!kvm_vcpu_is_legal_cr3(vcpu, vmcs12->guest_cr3)))'), 'Does the host-state check need the same?');
    await addComment(page, await lineOfEditor(page, '+\tif (CC(!kvm_vcpu_is_legal_cr3(vcpu, vmcs12->host_cr3)))'), 'Good, this one was inverted before.');
    await shot(page, 'series-two-comments');
    await runCommand(page, 'KVM Patch Review: Draft Reply');
    await editorShows(page, 'Re: [PATCH 2/2]', 30000);
    for (const want of ['In-Reply-To: <20240506-lam-v1-2@example.org>', 'Ada Example wrote:', '> @@ -1203,7 +1203,7 @@', 'Does the host-state check need the same?', 'Good, this one was inverted before.', 'Reviewed-by: Rev Iewer <rev@example.com>']) {
      if (!await documentHas(page, want)) throw new Error(`the reply lacks "${want}"`);
    }
    await page.keyboard.press('Control+Home');
    await shot(page, 'series-draft-reply');
  });

  await uiTest('a patch marked reviewed stays reviewed after a reload (Series view)', async () => {
    await page.keyboard.press('Escape');
    await runCommand(page, 'View: Revert and Close Editor');   // the unsaved reply; the series editor is active again
    await runCommand(page, 'KVM Patch Review: Mark Patch as Reviewed');
    await runCommand(page, 'View: Show KVM Patch Review');
    const row = page.locator('.monaco-list-row', { hasText: 'KVM: nVMX: Use the CR3 legality helper' }).first();
    await row.waitFor({ timeout: 20000 });
    await page.locator('.monaco-list-row', { hasText: 'reviewed' }).first().waitFor({ timeout: 20000 });
    await shot(page, 'series-view-reviewed');
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 90000 });
    // the restored editor, once the extension is active again: the status bar says the state
    await statusBar(page, 'Patch 2 of 2 · reviewed', 90000);
    await runCommand(page, 'View: Show KVM Patch Review');
    await page.locator('.monaco-list-row', { hasText: 'KVM: nVMX: Use the CR3 legality helper' }).first().waitFor({ timeout: 60000 });
    const rows = await page.locator('.pane-body .monaco-list-row').allInnerTexts();
    if (!rows.some(r => /Use the CR3 legality helper/.test(r) && /reviewed/.test(r))) throw new Error(`after the reload: ${rows.join(' | ')}`);
    await shot(page, 'series-view-reviewed-after-reload');
  });

  await uiTest('a maintainer-rule diagnostic shows in Problems', async () => {
    await runCommand(page, 'View: Close All Editors');
    const bad = path.join(workspace, 'bad-shortlog.patch');
    fs.writeFileSync(bad, fs.readFileSync(path.join(inbox.fixtures, 'v1-2.eml'), 'utf8').replace('[PATCH 2/2] KVM: nVMX: Use', '[PATCH 2/2] kvm: vmx: use'));
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('bad-shortlog.patch');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'bad-shortlog.patch' }).first().click({ timeout: 15000 });
    await runCommand(page, 'View: Focus Problems');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'is not "KVM: <topic>:"' }).first().waitFor({ timeout: 30000 });
    await shot(page, 'series-maintainer-rule');
  });

  await uiTest('Compare Revisions shows the range-diff of v1 and v2', async () => {
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'KVM Patch Review: Open Series by Message-ID or URL');
    await page.locator('.quick-input-widget input').fill('20240506-lam-v1-2@example.org');
    await page.keyboard.press('Enter');
    // v1 again (its editor keeps its scroll position), and the offer of the newer v2
    await page.locator('.notifications-toasts .monaco-button', { hasText: 'Open It' }).first().click({ timeout: 60000 });
    await page.locator('.editor-instance .view-lines', { hasText: '[PATCH v2 0/2]' }).first().waitFor({ timeout: 60000 });
    await runCommand(page, 'KVM Patch Review: Compare Revisions');
    await page.locator('.editor-instance .view-lines', { hasText: 'v1 → v2: 1 unchanged, 1 changed' }).first().waitFor({ timeout: 30000 });
    const text = await page.locator('.editor-instance .view-lines', { hasText: 'v1 → v2' }).first().innerText();
    if (!/guest_can_use/.test(text)) throw new Error(`range-diff: ${text.slice(0, 800)}`);
    await shot(page, 'series-compare-revisions');
  });
}

/** 1-based line of `needle` in the active editor (via the editor's model, read through Go to Line search). */
async function lineOfEditor(page, needle) {
  // Find: the widget selects the match; the status bar's "Ln N" then names its line
  await findInEditor(page, needle);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  const ln = await page.locator('.statusbar-item', { hasText: /Ln \d+/ }).first().innerText();
  return Number(/Ln (\d+)/.exec(ln)[1]);
}
