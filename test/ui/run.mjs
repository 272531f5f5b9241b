// UI tests: the packaged .vsix installed into a real VS Code (code-server), driven through Debian
// chromium like a person: open a patch, hover a KVM name, read the hover from the DOM, see and click
// the lens, read the simulation panel. Screenshots go to test-results/.
//   node test/ui/run.mjs [RESULT.json]
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, prepareRunDir, startCodeServer, launchBrowser } from '../../scripts/lib/vscode-server.mjs';
import { openFile, hoverWord, webviewText, webviewFrame, shot, revealLine, lineOf, runCommand, afterContentPoint } from './workbench.mjs';
import { seriesUiTests } from './series.mjs';
import { startInbox, missingTools } from '../../scripts/lib/public-inbox.mjs';

const resultFile = path.resolve(process.argv[2] || path.join(ROOT, '.run/ui-result.json'));
const { name, version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const vsix = path.join(ROOT, `${name}-${version}.vsix`);
const runDir = path.join(ROOT, '.run/ui');
const workspace = path.join(ROOT, '.run/ui-workspace');
const seeds = path.resolve(ROOT, '../shared/seeds');

fs.rmSync(workspace, { recursive: true, force: true });
fs.cpSync(path.join(ROOT, 'samples'), workspace, { recursive: true });
// seeds are third-party text: copied only into this ignored run folder, never into the repo
const seedNames = fs.existsSync(seeds) ? fs.readdirSync(seeds) : [];
for (const f of seedNames) fs.copyFileSync(path.join(seeds, f), path.join(workspace, f));
// a hostile reply (our own fixture): an indented fence that would end a naive code block, then an image
fs.copyFileSync(path.join(ROOT, 'test/fixtures/ui/hostile-reply.eml'), path.join(workspace, 'hostile-reply.eml'));

const results = [];
let currentPage;
async function uiTest(title, body) {
  const t0 = Date.now();
  try { await body(); results.push({ title, ok: true }); console.log(`  ✔ ${title} (${Date.now() - t0} ms)`); }
  catch (e) {
    results.push({ title, ok: false });
    if (currentPage) await shot(currentPage, `failed-${results.length}`).catch(() => {}); console.log(`  ✖ ${title}\n    ${String(e.message).split('\n').slice(0, 4).join('\n    ')}`); }
}
function skip(title, why) { results.push({ title, skipped: true }); console.log(`  - ${title} (skipped: ${why})`); }

console.log(`[ui] installing ${path.basename(vsix)}: ${prepareRunDir(runDir, { vsix }).split('\n').pop()}`);
// the series tests fetch from a local public-inbox server holding the fixture series
const seriesDir = path.join(ROOT, 'test/fixtures/series');
const inbox = missingTools().length ? undefined : await startInbox({ mails: fs.readdirSync(seriesDir).filter(f => f.endsWith('.eml')).sort().map(f => path.join(seriesDir, f)) });
const inboxSettings = inbox ? { 'kvmPatchReview.publicInbox.server': inbox.url, 'kvmPatchReview.publicInbox.list': inbox.list, 'kvmPatchReview.reply.from': 'Rev Iewer <rev@example.com>', 'kvmPatchReview.reply.trailers': ['Reviewed-by'] } : {};
const server = await startCodeServer({ runDir, settings: { ...inboxSettings, 'workbench.colorTheme': 'Default Dark Modern', 'editor.fontSize': 13, 'git.openRepositoryInParentFolders': 'never', 'git.enabled': false, 'editor.wordWrap': 'on',
  // the Comments view would open over the editor with the first mail that has reviewers' replies
  'comments.openView': 'never' } });
// code-server runs in its own process group: stop it however the rest ends (chromium failing too)
let browser;
try {
  browser = await launchBrowser();
  const page = currentPage = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector('.monaco-workbench .explorer-folders-view .monaco-list-row', { timeout: 90000 });
  console.log('[ui] workbench ready');

  let editor;
  await uiTest('a .patch file opens as a KVM patch mail', async () => {
    editor = await openFile(page, 'lam-cr3.patch', 'nested_vmx_load_cr3');
    await page.locator('.statusbar-item', { hasText: 'KVM Patch Mail' }).first().waitFor({ timeout: 20000 });
  });

  await uiTest('hovering nested_vmx_load_cr3 shows its explanation', async () => {
    const hover = await hoverWord(page, editor, 'nested_vmx_load_cr3', 'kvm_init_mmu');
    if (!/function/i.test(hover.text) || !/CR3/.test(hover.text)) throw new Error(`hover text: ${hover.text}`);
    await shot(page, 'hover-nested_vmx_load_cr3');
  });

  await uiTest('the "Simulate this path" lens stands on the changed hunk and opens the trace', async () => {
    await page.mouse.move(5, 5);
    const lens = editor.locator('.codelens-decoration a', { hasText: 'Simulate this path' }).first();
    await lens.waitFor({ timeout: 30000 });
    await shot(page, 'code-lens');
    await lens.click();
    const text = await webviewText(page, 'Outcome', 30000);
    if (!/Outcome:\s*entered/.test(text)) throw new Error(`panel text: ${text.slice(0, 400)}`);
    if (!/nested_vmx_check_host_state/.test(text)) throw new Error('trace lacks nested_vmx_check_host_state');
    await shot(page, 'simulation-panel');
  });

  await uiTest('choosing another scenario in the panel re-runs the simulation', async () => {
    const frame = await webviewFrame(page, 'Outcome', 30000);
    await frame.selectOption('#scenario', 'ept-cap-without-ept');
    const text = await webviewText(page, 'Outcome: vmfail-valid', 30000);
    if (!/vmInstructionError 7/.test(text)) throw new Error(`panel text: ${text.slice(0, 400)}`);
    await shot(page, 'simulation-panel-scenario');
    await frame.selectOption('#scenario', 'default');
    await webviewText(page, 'Outcome: entered', 30000);
  });

  await uiTest('the panel finds scenarios where the patch changes the outcome, and simulates one', async () => {
    const frame = await webviewFrame(page, 'Before and after', 30000);
    await frame.click('#diverge');
    await webviewText(page, 'differ (click one', 30000);
    await frame.locator('ol.diverging a', { hasText: 'HOST_CR3=0x4000000000001000' }).first().click();
    const text = await webviewText(page, 'The patch changes the outcome', 30000);
    if (!/before\s+vmfail-valid \(vmInstructionError 8\)/.test(text)) throw new Error(`panel text: ${text.slice(0, 600)}`);
    await shot(page, 'simulation-before-after');
  });

  await uiTest('the panel leads with the answer, and "Write as test" opens the witnesses as a kvm-unit-tests test', async () => {
    const frame = await webviewFrame(page, 'The patch changes what KVM does on nested-vmentry', 30000);
    const headline = await frame.locator('#answer-headline').innerText();
    if (!/→ entered when vmcs12\.|GUEST_CR3|HOST_CR3/.test(headline)) throw new Error(`headline: ${headline}`);
    const before = await frame.locator('#answer-before').innerText(), after = await frame.locator('#answer-after').innerText();
    if (!/Before the patch/.test(before) || !/After the patch/.test(after)) throw new Error(`sides: ${before} | ${after}`);
    if (await frame.locator('#diagram g.failed').count() < 1) throw new Error('the diagram marks no failing function');
    if (await frame.locator('#aligned-trace tr.differs').count() < 1) throw new Error('no differing row in the aligned traces');
    await shot(page, 'simulation-answer-lam');
    await frame.click('#write-kut');
    await page.locator('.editor-instance .view-lines', { hasText: 'test_vmx_vmlaunch' }).first().waitFor({ timeout: 30000 });
    await shot(page, 'simulation-write-test');
    await runCommand(page, 'View: Revert and Close Editor');
  });

  await uiTest('"KVM: Explain…" finds HOST_CR3 and shows the rendered explanation', async () => {
    // the picker lists the whole model: wait until the typed name is the first row, else open it again
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Escape');
      await runCommand(page, 'KVM: Explain…');
      await page.locator('.quick-input-widget input').fill('HOST_CR3');
      try {
        await page.waitForFunction(() => document.querySelector('.quick-input-list .monaco-list-row[data-index="0"] .label-name')?.textContent?.trim() === 'HOST_CR3', null, { timeout: 10000 });
        break;
      } catch (e) { if (attempt >= 3) throw e; }
    }
    await page.keyboard.press('Enter');
    const text = await webviewText(page, '0x6C02', 30000);
    if (!/HOST_CR3/.test(text) || !/nested_vmx_check_host_state|host-state/i.test(text)) throw new Error(`preview: ${text.slice(0, 400)}`);
    await shot(page, 'explain-host-cr3');
  });

  await uiTest('a reply with an indented fence and an image renders as text in its hover (no <img>, no formatting)', async () => {
    await page.keyboard.press('Escape');
    await runCommand(page, 'View: Close All Editors');
    editor = await openFile(page, 'hostile-reply.eml', 'nested_vmx_load_cr3');
    const point = await afterContentPoint(editor, 'repl');
    if (!point) throw new Error('no "◂ 1 reply below" marker in the editor');
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'Reply at quote depth' }).first();
    for (let attempt = 0; ; attempt++) {
      await page.mouse.move(point.x, point.y);
      try { await hover.waitFor({ timeout: 5000 }); break; } catch (e) { if (attempt >= 5) throw e; await page.mouse.move(2, 2); }
    }
    const dom = await hover.evaluate(h => ({ imgs: h.querySelectorAll('img').length, links: [...h.querySelectorAll('a')].map(a => a.textContent),
      strong: [...h.querySelectorAll('strong, b, em')].map(e => e.textContent), pre: h.querySelectorAll('pre, code').length, text: h.innerText }));
    await shot(page, 'hostile-reply-hover');
    if (dom.imgs) throw new Error(`the hover has ${dom.imgs} <img> element(s)`);
    if (dom.links.length) throw new Error(`the hover has links: ${dom.links.join(', ')}`);
    if (dom.strong.some(t => /APPROVED/.test(t)) || dom.strong.some(t => !/^Reply at quote depth/.test(t))) throw new Error(`extra formatting: ${dom.strong.join(' | ')}`);
    if (!/!\[pixel\]\(http/.test(dom.text) || !/\*\*APPROVED BY MAINTAINER\*\*/.test(dom.text)) throw new Error(`the reply is not shown literally: ${dom.text.slice(0, 400)}`);
    await page.mouse.move(2, 2);
  });

  const quoted = seedNames.find(f => f.startsWith('002_'));
  if (quoted) {
    await uiTest('a quoted seed reply, switched to the patch language, shows grammar colours and hovers', async () => {
      await page.keyboard.press('Escape');
      await runCommand(page, 'View: Close All Editors');
      editor = await openFile(page, quoted, 'CR0.WP');
      await runCommand(page, 'KVM Patch Review: Review This File as a Patch');
      await page.locator('.statusbar-item', { hasText: 'KVM Patch Mail' }).first().waitFor({ timeout: 20000 });
      await revealLine(page, lineOf(path.join(workspace, quoted), 'load_vmcs12_host_state'));
      const hover = await hoverWord(page, editor, 'load_vmcs12_host_state', 'host-state');
      if (!/function/i.test(hover.text)) throw new Error(`hover text: ${hover.text}`);
      await shot(page, 'seed-002-quoted-hover');
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
      await revealLine(page, lineOf(path.join(workspace, quoted), 'kvm_cache_regs.h b/'));
      await shot(page, 'seed-002-quoted-grammar');
    });
  } else skip('a quoted seed reply shows grammar colours and hovers', `${seeds} absent`);
  // the seeds, as a KVM reviewer checks them: each panel opens on the first witness
  const seedCases = [
    ['001', 'module-load', '@@ -2614,6 +2632,20 @@', /loaded → loaded/, /Inconsistent VM-Entry\/VM-Exit pair/],
    ['002', 'cr0-write', '-#define KVM_POSSIBLE_CR0_GUEST_BITS', /ok → ok when CR0 write 0x80040033/, /intercepted false/],
    ['003', 'set-nested-state', '@@ -6230,13 +6233,25 @@', /ok → error when /, /errno EINVAL/, 'vmx_set_nested_state'],
  ];
  for (const [id, pathId, hunkLine, headlineRe, afterRe, lensSubject = ''] of seedCases) {
    const seed = seedNames.find(f => f.startsWith(`${id}_`));
    if (!seed) { skip(`seed ${id}: the panel leads with what the patch changes on ${pathId}`, `${seeds} absent`); continue; }
    await uiTest(`seed ${id}: the panel leads with what the patch changes on ${pathId}`, async () => {
      await page.keyboard.press('Escape');
      await runCommand(page, 'View: Close All Editors');
      editor = await openFile(page, seed, /\S/);
      await runCommand(page, 'KVM Patch Review: Review This File as a Patch');
      await page.locator('.statusbar-item', { hasText: 'KVM Patch Mail' }).first().waitFor({ timeout: 20000 });
      await revealLine(page, lineOf(path.join(workspace, seed), hunkLine));
      await page.mouse.move(5, 5);
      // the lens gets its witness count lazily (" · N witnesses"): click it once that has arrived
      // the lens of the revealed hunk (an earlier hunk's lens may stand under the breadcrumbs)
      const lens = editor.locator('.codelens-decoration a:visible', { hasText: new RegExp(`(^|\\s)${pathId}\\b.*${lensSubject}.*·`) }).first();
      await lens.waitFor({ timeout: 60000 });
      console.log(`    lens: ${await lens.innerText()}`);
      for (let attempt = 1; ; attempt++) {
        try { await lens.click({ timeout: 5000 }); break; } catch (e) { if (attempt >= 4) throw e; }   // re-rendered under the pointer: click again
      }
      const frame = await webviewFrame(page, `The patch changes what KVM does on ${pathId}`, 60000);
      const headline = await frame.locator('#answer-headline').innerText();
      if (!headlineRe.test(headline)) throw new Error(`headline: ${headline}`);
      const after = await frame.locator('#answer-after').innerText();
      if (!afterRe.test(after)) throw new Error(`after: ${after}`);
      await shot(page, `seed-${id}-answer`);
    });
  }


  if (inbox) await seriesUiTests({ page, uiTest, workspace, inbox: { ...inbox, fixtures: seriesDir } });
  else skip('series review against a local public-inbox server', `public-inbox is not installed (${missingTools().join(', ')} missing)`);
} finally {
  await browser?.close().catch(() => {});
  await server.stop();
  inbox?.stop();
}
const passed = results.filter(r => r.ok).length, failed = results.filter(r => r.ok === false).length, skipped = results.filter(r => r.skipped).length;
fs.writeFileSync(resultFile, JSON.stringify({ passed, failed, skipped }) + '\n');
console.log(`[ui] ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
