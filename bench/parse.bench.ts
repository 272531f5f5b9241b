// Ingestion speed figures (`npm run bench`, or `node --import tsx bench/parse.bench.ts`). Prints
// `name: value` lines. Inputs are generated here (no third-party text): a clean 54-patch series of
// about 1 MB, a 50 MB mbox of such series, and adversarial 10 MB inputs. With
// KVM_REVIEW_MEASURE_REPO=/path/to/git-dir it also measures changed-function agreement on real
// history: `git format-patch` of the last N commits (KVM_REVIEW_MEASURE_COMMITS, default 600)
// against the functions found in the full old/new files.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import parseDiff from 'parse-diff';
import { Parser, Language, type Node } from 'web-tree-sitter';
import { parsePatchDocument } from '../src/diff';
import { createCFunctionLocator, heuristicLocator, scanFunctions, type CFunctionLocator, type FunctionSpan } from '../src/cfunctions';

const ROOT = path.resolve(__dirname, '..');
const out = (name: string, value: string | number) => console.log(`${name}: ${value}`);

function functionText(k: number): string[] {
  return [
    `static int nested_check_${k}(struct kvm_vcpu *vcpu, struct vmcs12 *vmcs12)`, '{',
    `\tif (CC(!nested_cpu_has_${k % 7}(vmcs12)))`, '\t\treturn -EINVAL;', '',
    `\tvmcs12->field_${k} = vmcs_read64(FIELD_${k});`, `\tif (vmcs12->field_${k} & BIT_ULL(${k % 64}))`, '\t\treturn -EINVAL;', '', '\treturn 0;', '}', '',
  ];
}

/** One format-patch mail with `files` files of `hunks` hunks each. */
function patchMail(index: number, total: number, files: number, hunks: number): string {
  const L = [`From ${index.toString(16).padStart(40, '0')} Mon Sep 17 00:00:00 2001`, 'From: Bench Author <bench@example.org>', 'Date: Mon, 6 May 2024 10:00:00 +0200',
    `Subject: [PATCH v2 ${index}/${total}] KVM: nVMX: Generated change ${index}`, '', 'Generated for the ingestion benchmark.', '', 'Signed-off-by: Bench Author <bench@example.org>', '---'];
  for (let f = 0; f < files; f++) {
    const file = `arch/x86/kvm/vmx/gen_${index}_${f}.c`;
    L.push(`diff --git a/${file} b/${file}`, 'index 1111111..2222222 100644', `--- a/${file}`, `+++ b/${file}`);
    for (let h = 0; h < hunks; h++) {
      const k = index * 1000 + f * 100 + h;
      const body = functionText(k);
      const start = 100 + h * 40;
      L.push(`@@ -${start},12 +${start},12 @@ static int nested_check_${k - 1}(struct kvm_vcpu *vcpu, struct vmcs12 *vmcs12)`);
      body.forEach((line, i) => {
        if (i === 6) { L.push('-' + line, '+' + line.replace('BIT_ULL', 'BIT')); }
        else if (i !== 7) L.push(' ' + line);
        else L.push(' ' + line);
      });
    }
  }
  L.push('-- ', '2.45.0', '');
  return L.join('\n');
}

function series(patches: number, files: number, hunks: number): string {
  return Array.from({ length: patches }, (_, i) => patchMail(i + 1, patches, files, hunks)).join('\n');
}

function time<T>(fn: () => T, runs = 5): { ms: number; value: T } {
  let best = Infinity, value!: T;
  for (let r = 0; r < runs; r++) { const t0 = performance.now(); value = fn(); best = Math.min(best, performance.now() - t0); }
  return { ms: best, value };
}

async function main() {
  const clean = series(54, 3, 14);
  out('series bytes', clean.length);
  // warm-up so both parsers run JIT-compiled
  for (let i = 0; i < 3; i++) { parseDiff(clean); parsePatchDocument(clean); }
  const pd = time(() => parseDiff(clean));
  const ours = time(() => parsePatchDocument(clean));
  out('parse-diff ms (54-patch series)', pd.ms.toFixed(1));
  out('parsePatchDocument ms (54-patch series, parse + changed functions, heuristic locator)', ours.ms.toFixed(1));
  const structure = time(() => parsePatchDocument(clean, { functions: false }));
  out('parsePatchDocument ms (54-patch series, structure only)', structure.ms.toFixed(1));
  out('throughput ratio vs parse-diff, structure only (>= 1.0 is faster)', (pd.ms / structure.ms).toFixed(2));
  out('throughput ratio vs parse-diff, with changed functions', (pd.ms / ours.ms).toFixed(2));
  out('hunks', ours.value.hunks.length);
  const wrong = ours.value.hunks.filter((h, i) => h.changedFunctions.join() !== `nested_check_${Number(/gen_(\d+)_(\d+)/.exec(h.file!)![1]) * 1000 + Number(/gen_(\d+)_(\d+)/.exec(h.file!)![2]) * 100 + (i % 14)}`).length;
  out('changed functions wrong in generated series', wrong);

  const wasmDir = fs.existsSync(path.join(ROOT, 'dist/tree-sitter-c.wasm')) ? 'dist' : 'node_modules';
  let ts: CFunctionLocator | undefined;
  try {
    ts = await createCFunctionLocator({
      runtime: fs.readFileSync(path.join(ROOT, wasmDir === 'dist' ? 'dist/web-tree-sitter.wasm' : 'node_modules/web-tree-sitter/web-tree-sitter.wasm')),
      language: fs.readFileSync(path.join(ROOT, wasmDir === 'dist' ? 'dist/tree-sitter-c.wasm' : 'node_modules/tree-sitter-c/tree-sitter-c.wasm')),
    });
    const withTs = time(() => parsePatchDocument(clean, { locator: ts }));
    out('parsePatchDocument ms (54-patch series, tree-sitter locator)', withTs.ms.toFixed(1));
  } catch (e) { out('tree-sitter', `unavailable (${(e as Error).message})`); }

  const big = Array.from({ length: Math.ceil(50e6 / clean.length) }, () => clean).join('\n');
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let peak = 0;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().heapUsed); }, 5);
  const t0 = performance.now();
  const doc = parsePatchDocument(big, { maxBytes: 128 * 1024 * 1024 });
  const ms = performance.now() - t0;
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  clearInterval(sampler);
  out('50 MB mbox bytes', big.length);
  out('50 MB mbox ms', ms.toFixed(0));
  out('50 MB mbox messages', doc.messages.length);
  out('50 MB mbox heap growth / input (x)', ((peak - heap0) / big.length).toFixed(2));

  const adversarial: [string, string][] = [
    ['10 MB line of >', '>'.repeat(10e6)],
    ['10 MB line of @@', '@@'.repeat(5e6)],
    ['10 MB of > lines', '>\n'.repeat(5e6)],
    ['10 MB of @@ lines', '@@ -1,1 +1,1 @@\n'.repeat(6e5)],
    ['10 MB of +x; lines', '+x;\n'.repeat(2.5e6)],
    ['10 MB of " x" context lines', ' x\n'.repeat(3.3e6)],
    ['10 MB of random bytes', Array.from({ length: 10e6 }, (_, i) => String.fromCharCode((i * 2654435761) % 251)).join('')],
  ];
  for (const [name, text] of adversarial) {
    const t = time(() => parsePatchDocument(text), 1);
    out(`${name} ms`, t.ms.toFixed(0));
  }

  const repo = process.env.KVM_REVIEW_MEASURE_REPO;
  if (repo) {
    // ground truth: tree-sitter on the FULL old/new files, every function_definition it finds
    const language = await Language.load(fs.readFileSync(path.join(ROOT, 'node_modules/tree-sitter-c/tree-sitter-c.wasm')));
    const parser = new Parser();
    parser.setLanguage(language);
    const fullFile = (src: string): FunctionSpan[] => {
      const tree = parser.parse(src);
      if (!tree) return [];
      const spans: FunctionSpan[] = [];
      const stack: Node[] = [tree.rootNode];
      while (stack.length) {
        const n = stack.pop()!;
        if (n.type === 'function_definition') {
          let d: Node | null = n.childForFieldName('declarator');
          while (d && d.type !== 'identifier') d = d.childForFieldName('declarator') ?? d.namedChildren.find(c => !!c && /declarator|identifier/.test(c.type)) ?? null;
          if (d) spans.push({ name: d.text, startRow: n.startPosition.row, endRow: n.endPosition.row });
        }
        for (const c of n.namedChildren) if (c) stack.push(c);
      }
      tree.delete();
      return spans;
    };
    measureAgreement(repo, Number(process.env.KVM_REVIEW_MEASURE_COMMITS ?? 600), ts, fullFile);
  }
}

/** Changed-function agreement on real history (nothing of it is stored). */
function measureAgreement(repo: string, commits: number, ts: CFunctionLocator | undefined, fullFile: (src: string) => FunctionSpan[]) {
  const git = (...a: string[]) => execFileSync('git', ['--git-dir', repo, ...a], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const shas = git('log', '--no-merges', '--format=%H', '-n', String(commits), '--', '*.c').trim().split('\n').filter(Boolean);
  const key = (a: string[]) => [...a].sort().join(',');
  let total = 0, skipped = 0, label = 0;
  const agree = { heuristic: 0, 'tree-sitter': 0 };
  for (const sha of shas) {
    let patch: string;
    try { patch = git('format-patch', '-1', '--stdout', sha); } catch { continue; }
    const docs = { heuristic: parsePatchDocument(patch, { locator: heuristicLocator }), 'tree-sitter': ts ? parsePatchDocument(patch, { locator: ts }) : undefined };
    const cache = new Map<string, [FunctionSpan[], FunctionSpan[]]>();
    const spans = (rev: string, file: string, which: 0 | 1) => {
      const k = `${rev}:${file}`;
      if (!cache.has(k)) { let src = ''; try { src = git('show', k); } catch { /* file absent */ } cache.set(k, [fullFile(src), scanFunctions(src)]); }
      return cache.get(k)![which];
    };
    docs.heuristic.hunks.forEach((h, i) => {
      if (!h.file || !h.file.endsWith('.c') || h.header !== 'ranges' || h.fileIndex === null) return;
      const f = docs.heuristic.files[h.fileIndex];
      const truthOf = (which: 0 | 1) => {
        const names: string[] = [];
        for (const l of h.lines) {
          if (l.kind === 'context') continue;
          const row = (l.kind === 'del' ? l.oldLine! : l.newLine!) - 1;
          let best: FunctionSpan | undefined;
          for (const s of l.kind === 'del' ? spans(`${sha}^`, f.oldPath!, which) : spans(sha, f.newPath!, which)) {
            if (s.startRow <= row && row <= s.endRow && (!best || s.endRow - s.startRow < best.endRow - best.startRow)) best = s;
          }
          if (best && !names.includes(best.name)) names.push(best.name);
        }
        return names;
      };
      const truth = truthOf(0);
      if (key(truth) !== key(truthOf(1))) { skipped++; return; }
      total++;
      const fromLabel = h.contextFunction ? (/([A-Za-z_]\w*)\s*\(/.exec(h.contextFunction)?.[1] ?? '') : '';
      if (key(truth) === key(fromLabel ? [fromLabel] : [])) label++;
      if (key(h.changedFunctions) === key(truth)) agree.heuristic++;
      if (docs['tree-sitter'] && key(docs['tree-sitter'].hunks[i].changedFunctions) === key(truth)) agree['tree-sitter']++;
    });
  }
  out('agreement commits', shas.length);
  out('agreement hunks (full-file truths agree)', total);
  out('agreement hunks skipped (full-file tree-sitter and brace scan disagree)', skipped);
  out('agreement @@ label alone %', (100 * label / total).toFixed(1));
  out('agreement heuristic locator %', (100 * agree.heuristic / total).toFixed(1));
  if (ts) out('agreement tree-sitter locator %', (100 * agree['tree-sitter'] / total).toFixed(1));
}

void main();
