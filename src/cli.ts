// `kvm-review`: the extension's analysis core, headless (cli-contract.md). Exit codes: 0 success,
// 1 understood but the answer is no/unknown, 2 bad usage or invalid input (one line on stderr).
import fs from 'node:fs';
import path from 'node:path';
import { parsePatchDocument, toParseJson, type CFunctionLocator } from './diff';
import { createCFunctionLocator } from './cfunctions';
import { explain, suggest } from './explain';
import { listPaths, simulate, ScenarioError } from './sim';
import { comparePatch, divergePatch, type PatchComparison } from './review/patchSimulation';
import { chooseEngine, openKernelEngine, type EngineName, type KernelEngine, type TreeSitterWasm } from './io/kernelEngine';

const HELP = `kvm-review: KVM nested-VMX patch review, headless

usage:
  kvm-review parse FILE [--json]                 messages, hunks, changed functions, comments, diagnostics
  kvm-review explain NAME-OR-NUMBER [--json]     what a KVM name or number is (several readings for numbers)
  kvm-review paths [--json] [--tree DIR] [--engine kernel|model]
                                                 the check paths (and which engine runs each)
  kvm-review simulate --path ID [--scenario FILE.json] [--patch FILE] [--tree DIR] [--engine kernel|model] [--json]
                                                 run a path's checks for a scenario (default: base "default");
                                                 with --patch, also before and after the patch
  kvm-review diverge --path ID --patch FILE [--scenario FILE.json] [--tree DIR] [--engine kernel|model] [--json]
                                                 scenarios near the given one where before and after differ
  kvm-review --help | --version

engines: the kernel engine interprets a Linux tree's own C code (--tree DIR, a kernel checkout as
the current directory, KVM_REVIEW_TREE, or the default tree from node scripts/setup-tree.mjs);
without a tree, or with --engine model, the model engine runs its check tables.

exit codes: 0 success, 1 unknown/no, 2 bad usage or invalid input`;

/** A usage or input problem: printed as one line, exit 2. */
class UsageError extends Error {}

interface Args { positional: string[]; flags: Map<string, string | true> }
function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2);
      if (v !== undefined) flags.set(k, v);
      else if (['path', 'scenario', 'patch', 'tree', 'engine'].includes(k)) {
        if (i + 1 >= argv.length) throw new UsageError(`--${k} needs a value`);
        flags.set(k, argv[++i]);
      } else flags.set(k, true);
    } else positional.push(a);
  }
  return { positional, flags };
}

function readInput(file: string | undefined, what: string): string {
  if (!file) throw new UsageError(`missing ${what}`);
  try { return fs.readFileSync(file === '-' ? 0 : file, 'utf8'); }
  catch (e) { throw new UsageError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
}

/** The tree-sitter C locator from the wasm files beside the bundle (dist/) or in node_modules; the
 *  parser falls back to its brace heuristic when they cannot be loaded. */
async function loadLocator(): Promise<CFunctionLocator | undefined> {
  const candidates = [
    [path.join(__dirname, 'web-tree-sitter.wasm'), path.join(__dirname, 'tree-sitter-c.wasm')],
    [path.join(__dirname, '../node_modules/web-tree-sitter/web-tree-sitter.wasm'), path.join(__dirname, '../node_modules/tree-sitter-c/tree-sitter-c.wasm')],
  ];
  for (const [runtime, language] of candidates) {
    if (!fs.existsSync(runtime) || !fs.existsSync(language)) continue;
    try { return await createCFunctionLocator({ runtime: fs.readFileSync(runtime), language: fs.readFileSync(language) }); }
    catch (e) { console.error(`kvm-review: tree-sitter unavailable (${(e as Error).message}); using the brace heuristic`); return undefined; }
  }
  return undefined;
}

/** The wasm bytes for tree-sitter beside the bundle (dist/) or in node_modules, or null. */
function readWasm(): TreeSitterWasm | null {
  for (const dir of [[__dirname, __dirname], [path.join(__dirname, '../node_modules/web-tree-sitter'), path.join(__dirname, '../node_modules/tree-sitter-c')]]) {
    const runtime = path.join(dir[0]!, 'web-tree-sitter.wasm'), language = path.join(dir[1]!, 'tree-sitter-c.wasm');
    if (fs.existsSync(runtime) && fs.existsSync(language)) return { runtime: fs.readFileSync(runtime), language: fs.readFileSync(language) };
  }
  return null;
}

/** Contract v2's engine choice for this invocation; the kernel engine opened when chosen. */
async function engineFor(args: Args): Promise<KernelEngine | null> {
  const engineFlag = args.flags.get('engine');
  if (engineFlag !== undefined && engineFlag !== 'kernel' && engineFlag !== 'model') throw new UsageError(`--engine must be kernel or model, not ${engineFlag === true ? '(nothing)' : `"${engineFlag}"`}`);
  const treeFlag = args.flags.get('tree');
  if (treeFlag === true) throw new UsageError('--tree needs a directory');
  const choice = chooseEngine(engineFlag as EngineName | undefined, {
    option: treeFlag, workspaceFolders: [process.cwd()], env: process.env, projectRoot: path.join(__dirname, '..'),
  });
  if (choice.error) throw new UsageError(choice.error);
  for (const n of choice.notices) console.error(`kvm-review: ${n}`);
  if (choice.engine === 'model' || !choice.found) return null;
  const wasm = readWasm();
  if (!wasm) {
    if (engineFlag === 'kernel') throw new UsageError('the kernel engine needs tree-sitter (web-tree-sitter.wasm, tree-sitter-c.wasm), which is not installed');
    console.error('kvm-review: tree-sitter is not installed; using the model engine');
    return null;
  }
  return openKernelEngine(choice.found, { wasm });
}

/** One-line fall-back notice: on stderr, and into the result's warnings. */
function fallBack(reason: string): string {
  const line = `kernel engine: ${reason}; the model engine ran instead`;
  console.error(`kvm-review: ${line}`);
  return line;
}

function print(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : text() + '\n');
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const json = args.flags.has('json');
  const [command, ...rest] = args.positional;
  if (args.flags.has('help') || command === 'help') { console.log(HELP); return 0; }
  if (args.flags.has('version')) { console.log('kvm-review 0.1.0'); return 0; }
  switch (command) {
    case 'parse': {
      const text = readInput(rest[0], 'patch file');
      const result = toParseJson(parsePatchDocument(text, { locator: await loadLocator() }));
      const range = (start: number | null, lines: number | null) => (start === null ? '?' : `${start},${lines ?? '?'}`);
      print(json, result, () => [
        ...result.messages.map((m, i) => `message ${i}: ${m.subject}`),
        ...result.hunks.map(h => `line ${h.sourceLine}: ${h.file ?? '(no file header)'} @@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`
          + `${h.quoteDepth ? ` (quoted ${h.quoteDepth})` : ''}${h.complete ? '' : ' (cut short)'} → ${h.changedFunctions.join(', ') || '(no function)'}`),
        ...result.diagnostics.map(d => `line ${d.sourceLine}: ${d.severity}: ${d.message}`),
      ].join('\n'));
      return 0;
    }
    case 'explain': {
      const query = rest.join(' ');
      if (!query) throw new UsageError('explain needs a name or a number');
      const readings = explain(query);
      if (readings.length === 0) {
        const close = suggest(query);
        console.error(`kvm-review: unknown name or number "${query}"${close.length ? `; did you mean ${close.join(', ')}?` : ''}`);
        return 1;
      }
      print(json, readings.length === 1 ? readings[0] : readings, () => readings.map(r => `${r.name} (${r.kind}${r.value ? ' ' + r.value : ''}): ${r.summary}`).join('\n'));
      return 0;
    }
    case 'paths': {
      const kernel = await engineFor(args);
      const paths = listPaths().map(p => ({ ...p, engine: kernel?.canRun(p.id) ? 'kernel' : 'model' }));
      print(json, paths, () => [...(kernel ? [`kernel engine on ${kernel.tree.path} (${kernel.tree.version})`] : []),
        ...paths.map(p => `${p.id}: ${p.title} [${p.engine}]\n  ${p.steps.join(' → ')}`)].join('\n'));
      return 0;
    }
    case 'simulate':
    case 'diverge': {
      const pathId = args.flags.get('path');
      if (typeof pathId !== 'string') throw new UsageError(`${command} needs --path ID`);
      const scenarioFile = args.flags.get('scenario');
      let scenario: unknown = { base: 'default' };
      if (typeof scenarioFile === 'string') {
        try { scenario = JSON.parse(readInput(scenarioFile, 'scenario file')); }
        catch (e) { if (e instanceof UsageError) throw e; throw new UsageError(`scenario ${scenarioFile} is not valid JSON: ${(e as Error).message}`); }
      }
      const patchFile = args.flags.get('patch');
      if (command === 'diverge' && typeof patchFile !== 'string') throw new UsageError('diverge needs --patch FILE');
      const patch = typeof patchFile === 'string' ? parsePatchDocument(readInput(patchFile, 'patch file'), { locator: await loadLocator() }) : undefined;
      const kernel = await engineFor(args);
      if (command === 'diverge') {
        const found = divergePatch(pathId, scenario, patch!);
        const warnings = kernel ? [fallBack('diverge searches with the model engine only for now')] : [];
        const output = { ...found, engine: 'model' as const, ...(warnings.length ? { warnings } : {}) };
        print(json, output, () => [`searched ${found.searched} scenarios, ${found.diverging.length} diverging (model engine)`,
          ...found.diverging.map(d => `  ${JSON.stringify(d.scenario)}: ${d.before.outcome.kind} → ${d.after.outcome.kind}`)].join('\n'));
        return 0;
      }
      // the kernel engine when chosen and able; else the model, saying why
      let output: Record<string, unknown> & { path: string; outcome: { kind: string }; trace: { result: string; function: string; check: string; location?: string }[]; warnings: string[] };
      let why: string | null = null;
      let ran: Awaited<ReturnType<KernelEngine['simulate']>> | null = null;
      if (kernel && !kernel.canRun(pathId)) why = `it does not run path "${pathId}" yet`;
      else if (kernel) {
        try { ran = kernel.simulate(pathId, scenario); }
        catch (e) { if (e instanceof ScenarioError) throw e; why = `it could not run: ${(e as Error).message}`; }
        if (ran?.incomplete) { why = `it could not finish the path (${ran.incomplete})`; ran = null; }
      }
      if (ran) output = { ...ran };
      else {
        const m = simulate(pathId, scenario);
        output = { ...m, engine: 'model', warnings: why ? [...m.warnings, fallBack(why)] : m.warnings };
      }
      if (patch) {
        const cmp: PatchComparison | ReturnType<KernelEngine['comparePatch']> = kernel && kernel.canRun(pathId) ? kernel.comparePatch(pathId, scenario, patch) : comparePatch(pathId, scenario, patch);
        output.patch = cmp;
      }
      const cmp = output.patch as (PatchComparison & { engine?: unknown; fallback?: string }) | undefined;
      print(json, output, () => [`${output.path}: ${output.outcome.kind} (${output.engine === 'kernel' ? `kernel engine, tree ${(output.tree as { version: string }).version} at ${(output.tree as { path: string }).path}` : 'model engine'})`,
        ...output.trace.map(t => `  ${t.result.padEnd(4)} ${t.function} ${t.check}${t.location ? ` (${t.location})` : ''}`),
        ...output.warnings.map(w => `  warning: ${w}`),
        ...(cmp ? [`before the patch: ${cmp.before.outcome.kind}; after: ${cmp.after.outcome.kind}${cmp.differs ? ' (differs)' : ''}${cmp.fallback ? ` (model engine: ${cmp.fallback})` : ''}`,
          ...(cmp.changedChecks as { check?: string | null; define?: string; sourceLine: number; before: string | null; after: string | null; reason?: string }[]).map(c => `  ${c.check ?? (c.define ? `#define ${c.define}` : '(unmapped)')} line ${c.sourceLine}: ${c.before ?? '(none)'} → ${c.after ?? '(none)'}${c.reason ? ` — ${c.reason}` : ''}`)] : [])].join('\n'));
      return 0;
    }
    case undefined: console.log(HELP); return 2;
    default: throw new UsageError(`unknown command "${command}" (parse, explain, paths, simulate, diverge)`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(code => { process.exitCode = code; }, (e: unknown) => {
    if (e instanceof UsageError || e instanceof ScenarioError) { console.error(`kvm-review: ${e.message}`); process.exitCode = 2; }
    else { console.error(`kvm-review: internal error: ${(e as Error).message}`); process.exitCode = 2; }
  });
}
