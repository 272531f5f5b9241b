// Playwright helpers for the VS Code web workbench that wait for what a person would see.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../scripts/lib/vscode-server.mjs';

/** Opens `file` through Quick Open and waits until the editor shows `visibleText`. */
export async function openFile(page, file, visibleText) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15000 });
  await input.fill(file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().click({ timeout: 15000 });
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-lines', { hasText: visibleText }).first().waitFor({ timeout: 30000 });
  return editor;
}

/** Runs a command by its palette title. */
export async function runCommand(page, title) {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 0; ; attempt++) {
    // a focused webview keeps the keyboard: give focus back to the workbench (status bar) first
    if (attempt) await page.locator('.part.statusbar').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('F1');
    try { await input.waitFor({ timeout: 3000 }); break; } catch (e) { if (attempt >= 3) throw e; }
  }
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().click({ timeout: 15000 });
}

/** Scrolls the active editor so that 1-based `line` is visible (Go to Line). */
export async function revealLine(page, line) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15000 });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
}

/** 1-based line of the first occurrence of `needle` in a file. */
export function lineOf(file, needle) {
  const at = fs.readFileSync(file, 'utf8').split('\n').findIndex(l => l.includes(needle));
  if (at < 0) throw new Error(`"${needle}" not in ${file}`);
  return at + 1;
}

/**
 * Screen point over the middle of the first visible occurrence of `word` in the editor, found from
 * the rendered text nodes (the editor reuses line nodes, so DOM order is not screen order).
 */
async function pointOver(editor, word) {
  return editor.evaluate((root, w) => {
    const box = root.getBoundingClientRect();
    // the editor splits long tokens into several text nodes: search the line's whole text
    for (const line of root.querySelectorAll('.view-lines .view-line')) {
      const nodes = [];
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
      const text = nodes.map(n => n.textContent).join('');
      const at = text.indexOf(w);
      if (at < 0) continue;
      let mid = at + Math.floor(w.length / 2);
      for (const node of nodes) {
        if (mid >= node.textContent.length) { mid -= node.textContent.length; continue; }
        const range = document.createRange();
        range.setStart(node, mid); range.setEnd(node, mid + 1);
        const r = range.getBoundingClientRect();
        if (r.width > 0 && r.top >= box.top && r.bottom <= box.bottom && r.left >= box.left && r.right <= box.right) return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        break;
      }
    }
    return null;
  }, word);
}

/**
 * Hovers `word` and waits for a hover containing `expect`. The editor re-renders its token spans
 * when grammar and lenses arrive, so the word is found again and the hover retried until `timeout`.
 */
export async function hoverWord(page, editor, word, expect, timeout = 60000) {
  const deadline = Date.now() + timeout;
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: expect }).first();
  for (let attempt = 1; ; attempt++) {
    try {
      const point = await pointOver(editor, word);
      if (!point) throw new Error(`"${word}" is not visible in the editor`);
      await page.mouse.move(point.x, point.y);
      await hover.waitFor({ timeout: 5000 });
      // the hover fades in: wait until it is fully opaque so that a screenshot shows what a person reads
      await page.waitForFunction(() => [...document.querySelectorAll('.monaco-hover:not(.hidden)')]
        .some(h => { for (let e = h; e; e = e.parentElement) if (Number(getComputedStyle(e).opacity) < 1) return false; return true; }), null, { timeout: 5000 });
      return { text: await hover.innerText(), attempts: attempt };
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`no hover with "${expect}" over "${word}": ${e.message.split('\n')[0]}`);
      await page.mouse.move(2, 2);
      await page.waitForTimeout(250);
    }
  }
}

/** The first webview frame whose body contains `needle` (webviews live in nested iframes). */
export async function webviewFrame(page, needle, timeout = 30000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;   // the workbench itself: only webview frames count
      try {
        const text = await frame.evaluate(() => document.body?.innerText ?? '');
        if (text.includes(needle)) return frame;
      } catch { /* frame navigating */ }
    }
    if (Date.now() > deadline) throw new Error(`no webview shows "${needle}"`);
    await page.waitForTimeout(200);
  }
}

/** Text of the first webview whose body contains `needle`. */
export async function webviewText(page, needle, timeout = 30000) {
  return (await webviewFrame(page, needle, timeout)).evaluate(() => document.body.innerText);
}

/** Saves a screenshot as test-results/<name>.png. */
export async function shot(page, name) {
  const dir = path.join(ROOT, 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/** Screen point over the first decoration text (an `after` pseudo-element) containing `needle`;
 *  waits until the editor renders it. */
export async function afterContentPoint(editor, needle, timeout = 30000) {
  const root = await editor.elementHandle();
  const found = await editor.page().waitForFunction(([r, n]) => {
    for (const el of r.querySelectorAll('.view-lines .view-line span')) {
      const content = getComputedStyle(el, '::after').content;
      if (!content || content === 'none' || !content.includes(n)) continue;
      const box = el.getBoundingClientRect();
      if (box.width > 0) return { x: box.right - Math.min(20, box.width / 2), y: box.top + box.height / 2 };
    }
    return null;
  }, [root, needle], { timeout });
  return found.jsonValue();
}
