// The one Markdown escaper: every Markdown construct fed to each of its forms must come out as
// literal text. Two CommonMark/GFM renderers are the oracle: markdown-it (with HTML and
// linkify on) and marked (GFM, what VS Code's hover renderer is built on). The rendered HTML may
// contain only the element the form itself makes (<p>, <code>, <pre>), and its text must be the
// input again (zero-width spaces aside).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { marked } from 'marked';
import { mdCode, mdCodeBlock, mdText, visibleControls } from '../../../src/mail/markdown';
import { hoverMarkdown } from '../../../src/explain/markdown';
import { explain } from '../../../src/explain';

const mdit = new MarkdownIt({ html: true, linkify: true });
// VS Code's renderer (marked) links www./scheme:// and e-mail addresses, not bare domains.
mdit.linkify.set({ fuzzyLink: false, fuzzyIP: false, fuzzyEmail: true });

const RENDERERS: [string, (s: string) => string][] = [
  ['markdown-it', s => mdit.render(s)],
  ['marked', s => marked.parse(s, { gfm: true, async: false }) as string],
];

/** Every construct that could become formatting, at line starts and inside lines. */
const HOSTILE = [
  '# heading', '###### h6', 'Setext', '===', '---', '***', '___',
  '*em* _em_ **strong** __strong__ ~~strike~~ ~tilde~',
  '[link](http://evil.example/x) [ref][r]', '[r]: http://evil.example/ref',
  '![img](http://evil.example/pixel.png) ![alt][r]',
  '<http://evil.example/auto> <mail@evil.example> www.evil.example http://evil.example https://e.example/p?q=1 ftp://f.example',
  'user@evil.example',
  '<img src=x onerror=alert(1)> <b>bold</b> <!-- c --> <script>x</script> <a href="http://e">a</a>',
  '```', ' ```', '  ```', '   ```', '    ```', '~~~', '   ~~~', '````js', '`inline` ``double``',
  '| a | b |', '|---|---|', '| 1 | 2 |',
  '$(alert) $(zap~spin) \\$(escaped)',
  '&amp; &lt;b&gt; &#60;img&#62; &#x3c;',
  '\\*not em\\* \\\\ \\` \\',
  '> quote', '- item', '+ item', '1. item', '1) item', '    indented code',
  'line with two spaces  ', 'hard\\', 'break',
  '[^1] footnote', '[^1]: note', '- [ ] task',
  'a_b_c *a*b* `a``b` <<>> [](', ')',
  'bidi \u202etxt.exe\u202c and \u2066iso\u2069, control \x1b[31mred\x1b[0m \x07 \x7f \x9b',
].join('\n');

/** Rendered HTML back to text: only `allowed` tags may appear; entities decoded. */
function textOf(html: string, allowed: RegExp): string {
  const tags = html.match(/<[^>]*>/g) ?? [];
  for (const t of tags) assert.match(t, allowed, `formatting from content: ${t} in ${html.slice(0, 400)}`);
  return html.replace(/<[^>]*>/g, '').replace(/&(lt|gt|quot|amp|#39);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&', '#39': "'" })[e]!);
}
const noZwsp = (s: string): string => s.replace(/\u200b/g, '');

void test('inline text: no construct survives as formatting, the text reads back unchanged', () => {
  for (const [name, render] of RENDERERS) {
    for (const input of [HOSTILE, ...HOSTILE.split('\n')]) {
      const html = render(mdText(input));
      const text = textOf(html, /^<\/?p>$/);
      assert.equal(noZwsp(text).trim(), visibleControls(input.replace(/\n/g, ' ')).trim(), `${name}: ${input}`);
    }
  }
});

void test('inline code: no backtick run in the content closes the span', () => {
  for (const [name, render] of RENDERERS) {
    for (const input of [HOSTILE, '`', '``', 'a ` b', '`` x ```', '```` ````', ' lead', 'trail ']) {
      const html = render(mdCode(input));
      const text = textOf(html, /^<\/?(p|code)>$/);
      assert.equal((html.match(/<code>/g) ?? []).length, 1, `${name}: one span for ${input}`);
      // CommonMark strips one space on each side when both are present
      assert.equal(text.trim(), visibleControls(input.replace(/\n/g, ' ')).trim(), `${name}: ${input}`);
    }
  }
});

void test('code block: fences indented 0-3 spaces, tildes and long runs in the content cannot close it', () => {
  const cases = [HOSTILE, 'x\n```\n![i](http://e/p.png)', 'x\n ```\n**bold**', 'x\n  ```\n<img src=x>', 'x\n   ```\n[l](http://e)', 'x\n   ````````\ny', 'x\n~~~\ny', '````\n`````', 'end```'];
  for (const [name, render] of RENDERERS) {
    for (const input of cases) {
      const html = render(mdCodeBlock(input));
      const text = textOf(html, /^<\/?(pre|code)( class="language-text")?>$/);
      assert.equal((html.match(/<pre>/g) ?? []).length, 1, `${name}: one block for ${JSON.stringify(input)}`);
      assert.equal(text.replace(/\n+$/, ''), visibleControls(input), `${name}: ${JSON.stringify(input)}`);
    }
  }
});

void test('generated inputs from Markdown punctuation, spaces and line breaks never format', () => {
  const alphabet = ['`', '`', '~', '*', '_', '[', ']', '(', ')', '!', '<', '>', '#', '|', '&', '\\', '$', ':', '/', '.', '@', ' ', ' ', '\n', 'a', 'w', 'http', 'www.', '-', '=', '+', '1', ';'];
  let seed = 12345;
  const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  for (let i = 0; i < 1500; i++) {
    let s = '';
    for (let j = rand(40); j >= 0; j--) s += alphabet[rand(alphabet.length)];
    for (const [name, render] of RENDERERS) {
      textOf(render(mdText(s)), /^<\/?p>$/);
      textOf(render(mdCode(s)), /^<\/?(p|code)>$/);
      const block = render(mdCodeBlock(s));
      textOf(block, /^<\/?(pre|code)( class="language-text")?>$/);
      assert.ok(block.startsWith('<pre>'), `${name}: ${JSON.stringify(s)}`);
    }
  }
});

void test('the hover escapes what it takes from the document: a hunk summary with links, icons and HTML', () => {
  const readings = explain('nested_vmx_load_cr3');
  const md = hoverMarkdown(readings, { hunkChange: 'see www.evil.example $(zap) <img src=http://e/p> ![x](http://e/p.png) **ok**' });
  const html = mdit.render(md);
  const line = html.split('\n').find(l => l.includes('This hunk'))!;
  assert.doesNotMatch(line, /<a |<img|<em>|<strong>ok/);
  assert.doesNotMatch(marked.parse(md, { gfm: true, async: false }) as string, /<img|evil\.example<\/a>|href="http:\/\/e/);
});
