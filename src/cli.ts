// `kvm-review`: the extension's analysis core, headless (cli-contract.md). Exit codes: 0 success,
// 1 understood but the answer is no/unknown, 2 bad usage or invalid input (one line on stderr).
import fs from 'node:fs';
import path from 'node:path';
import { parsePatchDocument, toParseJson, type CFunctionLocator } from './diff';
import { createCFunctionLocator } from './cfunctions';
import { explain, suggest } from './explain';
import { listPaths, simulate, ScenarioError } from './sim';
import { comparePatch, divergePatch, type PatchComparison } from './review/patchSimulation';

const HELP = `kvm-review: KVM nested-VMX patch review, headless

usage:
  kvm-review parse FILE [--json]                 messages, hunks, changed functions, comments, diagnostics
  kvm-review explain NAME-OR-NUMBER [--json]     what a KVM name or number is (several readings for numbers)
  kvm-review paths [--json]                      the modeled check paths
  kvm-review simulate --path ID [--scenario FILE.json] [--patch FILE] [--json]
                                                 run a path's checks for a scenario (default: base "default");
                                                 with --patch, also before and after the patch
  kvm-review diverge --path ID --patch FILE [--scenario FILE.json] [--json]
                                                 scenarios near the given one where before and after differ
  kvm-review --help | --version

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
      else if (['path', 'scenario', 'patch'].includes(k)) {
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
      const paths = listPaths();
      print(json, paths, () => paths.map(p => `${p.id}: ${p.title}\n  ${p.steps.join(' → ')}`).join('\n'));
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
      if (command === 'diverge') {
        const found = divergePatch(pathId, scenario, patch!);
        print(json, found, () => [`searched ${found.searched} scenarios, ${found.diverging.length} diverging`,
          ...found.diverging.map(d => `  ${JSON.stringify(d.scenario)}: ${d.before.outcome.kind} → ${d.after.outcome.kind}`)].join('\n'));
        return 0;
      }
      const result = simulate(pathId, scenario);
      const output: typeof result & { patch?: PatchComparison } = patch ? { ...result, patch: comparePatch(pathId, scenario, patch) } : result;
      print(json, output, () => [`${result.path}: ${result.outcome.kind}`, ...result.trace.map(t => `  ${t.result.padEnd(4)} ${t.function} ${t.check}`),
        ...(output.patch ? [`before the patch: ${output.patch.before.outcome.kind}; after: ${output.patch.after.outcome.kind}${output.patch.differs ? ' (differs)' : ''}`,
          ...output.patch.changedChecks.map(c => `  ${c.check ?? (c.define ? `#define ${c.define}` : '(unmapped)')} line ${c.sourceLine}: ${c.before ?? '(none)'} → ${c.after ?? '(none)'}${c.reason ? ` — ${c.reason}` : ''}`)] : [])].join('\n'));
      return 0;
    }
    case undefined: console.log(HELP); return 2;
    default: throw new UsageError(`unknown command "${command}" (parse, explain, paths, simulate, diverge)`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(code => { process.exitCode = code; }, (e: unknown) => {
    if (e instanceof UsageError || e instanceof ScenarioError) { console.error(`kvm-review: ${e.message}`); process.exitCode = 2; }
    else { console.error(`kvm-review: internal error: ${(e as Error).message}`); process.exitCode = 3; }
  });
}
