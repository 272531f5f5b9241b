// `kvm-review`: the extension's analysis core, headless (cli-contract.md). Exit codes: 0 success,
// 1 understood but the answer is no/unknown, 2 bad usage or invalid input (one line on stderr).
import fs from 'node:fs';
import path from 'node:path';
import { parsePatchDocument, toParseJson, type CFunctionLocator } from './diff';
import { createCFunctionLocator } from './cfunctions';
import { explain, suggest } from './explain';
import { listPaths, parseBaseline, pathChecks, simulate, ScenarioError, BASELINES, BASELINE_INFO, DEFAULT_BASELINE } from './sim';
import { DEFAULT_MAX_BYTES } from './diff';
import { jsonProblem, jsonTerminalSafe, oneLine, visibleControls } from './mail/controls';
import { buildReplies, repliesText, ReplyError, type ReplyComment } from './review/series/reply';
import { buildSeries, readMailbox, revisionMbox, revisionSummary, newerRevisions, subjectStem, type NewerRevision } from './review/series/series';
import { DEFAULT_SERVER, FetchError, fetchThread, parseMessageLocation, revisionQuery, searchMbox } from './io/publicInbox';
import { briefWitness, compareModel, type ModelComparison } from './review/modelDiverge';
import { divergeWith } from './review/engine';
import { divergeEngines } from './io/divergeEngines';
import { witnessesAsTests, TEST_SUITES, type TestSuite } from './review/asTest';
import { chooseEngine, openKernelEngine, type EngineName, type KernelEngine, type TreeSitterWasm } from './io/kernelEngine';

const HELP = `kvm-review: KVM nested-VMX patch review, headless

usage:
  kvm-review parse FILE [--json]                 messages, hunks, changed functions, comments, diagnostics
  kvm-review explain NAME-OR-NUMBER [--json]     what a KVM name or number is (several readings for numbers)
  kvm-review paths [--json] [--checks] [--tree DIR] [--engine kernel|model]
                                                 the check paths and which engine runs each (--checks: each
                                                 path's checks with their kernel versions and tests)
  kvm-review simulate --path ID [--scenario FILE.json] [--patch FILE] [--tree DIR] [--engine kernel|model] [--json]
                                                 run a path's checks for a scenario (default: base "default");
                                                 with --patch, also before and after the patch
  kvm-review diverge --path ID --patch FILE [--scenario FILE.json] [--budget MS] [--tree DIR] [--engine kernel|model] [--json]
                   [--as-test kvm-unit-tests|selftest]
                                                 scenarios near the given one where before and after differ,
                                                 one witness per class; --as-test writes them as tests
  kvm-review reply MAIL --comments FILE.json [--trailer "Name: value"]... [--from "Name <addr>"]
                                                 the review reply: threading headers, trimmed quote,
                                                 each comment after its line, trailers (comments in
                                                 several messages of a series: one reply per message, as an mbox)
  kvm-review fetch MSGID|URL -o FILE [--server URL] [--list NAME] [--revision N] [--json]
                                                 a series from a public-inbox server (default lore.kernel.org,
                                                 or $KVM_REVIEW_SERVER): the thread ordered cover, 1/N..N/N,
                                                 reviewers' trailers collected, newer revisions listed
  --baseline 6.12.y|kvm-x86                      which KVM answers (simulate, diverge, paths --checks):
                                                 6.12.y = 6.12.118 (default), kvm-x86 = the newest behaviour
  kvm-review --help | --version

engines: the kernel engine interprets a Linux tree's own C code (--tree DIR, a kernel checkout as
the current directory, KVM_REVIEW_TREE, or the default tree from node scripts/setup-tree.mjs);
without a tree, or with --engine model, the model engine runs its check tables.

exit codes: 0 success, 1 unknown/no, 2 bad usage or invalid input`;

/** A usage or input problem: printed as one line, exit 2. */
class UsageError extends Error {}

/** Options that take a value (`--path ID` or `--path=ID`); `--trailer` may be repeated (all values in `lists`). */
const VALUE_FLAGS = new Set(['path', 'scenario', 'patch', 'tree', 'engine', 'as-test', 'comments', 'trailer', 'from', 'output', 'server', 'list', 'revision', 'baseline', 'budget']);
/** The options each command accepts (cli-contract.md, v1 and v2); anything else is exit 2. */
const COMMAND_FLAGS = new Map<string, readonly string[]>([
  ['parse', ['json']], ['explain', ['json']], ['paths', ['json', 'checks', 'tree', 'engine', 'baseline']],
  ['simulate', ['path', 'scenario', 'patch', 'json', 'tree', 'engine', 'baseline']],
  ['diverge', ['path', 'scenario', 'patch', 'json', 'tree', 'engine', 'as-test', 'baseline', 'budget']],
  ['reply', ['comments', 'trailer', 'from']],
  ['fetch', ['output', 'server', 'list', 'revision', 'json']],
]);
const GLOBAL_FLAGS = ['help', 'version'];

/** --baseline (default 6.12.y): one of the model's baselines, else a usage error. */
function baselineFlag(args: Args): typeof DEFAULT_BASELINE {
  const v = args.flags.get('baseline');
  if (v === undefined) return DEFAULT_BASELINE;
  if (v === true) throw new UsageError(`--baseline needs a value (${BASELINES.join(' or ')})`);
  try { return parseBaseline(v); } catch (e) { throw new UsageError((e as Error).message); }
}

interface Args { positional: string[]; flags: Map<string, string | true>; lists: Map<string, string[]> }
function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  const put = (k: string, v: string | true) => { flags.set(k, v); if (typeof v === 'string') lists.set(k, [...(lists.get(k) ?? []), v]); };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] === '-o' ? '--output' : argv[i];
    if (a === '--') { positional.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const k = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (eq >= 0) put(k, a.slice(eq + 1));
      else if (VALUE_FLAGS.has(k)) {
        if (i + 1 >= argv.length) throw new UsageError(`--${k} needs a value`);
        put(k, argv[++i]);
      } else put(k, true);
    } else positional.push(a);   // `-EINVAL` may be an explain query
  }
  return { positional, flags, lists };
}

/** Exit 2 naming the first option the command does not take. */
function checkFlags(command: string | undefined, flags: Map<string, string | true>): void {
  const known = [...GLOBAL_FLAGS, ...(command !== undefined ? COMMAND_FLAGS.get(command) ?? [] : [])];
  for (const k of flags.keys()) {
    if (!known.includes(k)) {
      const takes = (command !== undefined && COMMAND_FLAGS.get(command)) || [];
      throw new UsageError(`unknown option --${k}${command && COMMAND_FLAGS.has(command) ? ` for ${command} (it takes ${takes.length ? takes.map(f => `--${f}`).join(', ') : 'no options'})` : ''}`);
    }
  }
}

/** A field of text output: one line, control characters escaped (a subject cannot retitle the
 *  terminal or forge a line). */
const t = (s: unknown): string => oneLine(String(s ?? ''), 2000);

/** Reads an input file; over the size limit (checked before reading when it is a file) is exit 2. */
function readInput(file: string | undefined, what: string, maxBytes = DEFAULT_MAX_BYTES): string {
  if (!file) throw new UsageError(`missing ${what}`);
  const mb = (n: number) => (n / 1048576).toFixed(1);
  let text: string;
  try {
    if (file !== '-') {
      const size = fs.statSync(file).size;
      if (size > maxBytes) throw new UsageError(`${what} ${t(file)} is ${mb(size)} MB, over the ${mb(maxBytes)} MB limit: not analysed`);
    }
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${what} ${t(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (text.length > maxBytes) throw new UsageError(`${what} ${t(file)} is ${mb(text.length)} MB, over the ${mb(maxBytes)} MB limit: not analysed`);
  return text;
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

/** Writes `chunks` to stdout as they come, waiting when the pipe is full (bounded memory). */
async function writeOut(chunks: Iterable<string>): Promise<void> {
  let buffer = '';
  const flush = async (): Promise<void> => {
    if (!buffer) return;
    const ok = process.stdout.write(buffer);
    buffer = '';
    if (!ok) await new Promise<void>(resolve => process.stdout.once('drain', () => resolve()));
  };
  for (const c of chunks) { buffer += c; if (buffer.length >= 1 << 20) await flush(); }
  await flush();
}

/** JSON.stringify(value, null, 2), element by element for the arrays of a top-level object (a
 *  document's hunks), so that no single string holds the whole output. */
function* jsonChunks(value: unknown): Generator<string> {
  const one = (v: unknown, indent: string): string => jsonTerminalSafe(JSON.stringify(v, null, 2) ?? 'null').replace(/\n/g, '\n' + indent);
  if (!value || typeof value !== 'object' || Array.isArray(value)) { yield one(value, ''); return; }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (!entries.length) { yield '{}'; return; }
  yield '{\n';
  for (let e = 0; e < entries.length; e++) {
    const [key, v] = entries[e];
    yield `  ${JSON.stringify(key)}: `;
    if (Array.isArray(v) && v.length) {
      yield '[\n';
      for (let i = 0; i < v.length; i++) yield `    ${one(v[i] === undefined ? null : v[i], '    ')}${i + 1 < v.length ? ',' : ''}\n`;
      yield '  ]';
    } else yield one(v, '  ');
    yield e + 1 < entries.length ? ',\n' : '\n';
  }
  yield '}';
}

async function print(json: boolean, value: unknown, text: () => string): Promise<void> {
  // text: fields are escaped where they are put in (t()); whatever is left is escaped here
  if (json) await writeOut((function* () { yield* jsonChunks(value); yield '\n'; })());
  else await writeOut([visibleControls(text()), '\n']);
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const json = args.flags.has('json');
  const [command, ...rest] = args.positional;
  checkFlags(command, args.flags);
  if (args.flags.has('help') || command === 'help') { console.log(HELP); return 0; }
  if (args.flags.has('version')) { console.log('kvm-review 0.1.0'); return 0; }
  switch (command) {
    case 'parse': {
      const text = readInput(rest[0], 'patch file');
      const doc = parsePatchDocument(text, { locator: await loadLocator() });
      // a document too large (or too dense) to analyse is invalid input: exit 2 saying why
      const tooLarge = doc.diagnostics.find(d => d.code === 'too-large');
      if (tooLarge) throw new UsageError(`${t(rest[0])}: ${tooLarge.message.replace(/ \(raise kvmPatchReview\.maxFileSizeMB to analyse it\)$/, '')}`);
      const result = toParseJson(doc);
      const range = (start: number | null, lines: number | null) => (start === null ? '?' : `${start},${lines ?? '?'}`);
      await print(json, result, () => [
        ...result.messages.map((m, i) => `message ${i}: ${t(m.subject)}`),
        ...result.hunks.map(h => `line ${h.sourceLine}: ${h.file === null ? '(no file header)' : t(h.file)} @@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`
          + `${h.quoteDepth ? ` (quoted ${h.quoteDepth})` : ''}${h.complete ? '' : ' (cut short)'} → ${t(h.changedFunctions.join(', ')) || '(no function)'}`),
        ...result.diagnostics.map(d => `line ${d.sourceLine}: ${d.severity}: ${t(d.message)}`),
      ].join('\n'));
      return 0;
    }
    case 'explain': {
      const query = rest.join(' ');
      if (!query) throw new UsageError('explain needs a name or a number');
      const readings = explain(query);
      if (readings.length === 0) {
        const close = suggest(query);
        console.error(`kvm-review: unknown name or number "${t(query.length > 200 ? query.slice(0, 200) + '…' : query)}"${close.length ? `; did you mean ${close.join(', ')}?` : ''}`);
        return 1;
      }
      await print(json, readings.length === 1 ? readings[0] : readings, () => readings.map(r => `${t(r.name)} (${r.kind}${r.value ? ' ' + t(r.value) : ''}): ${t(r.summary)}`).join('\n'));
      return 0;
    }
    case 'paths': {
      const kernel = await engineFor(args);
      const paths = listPaths().map(p => ({ ...p, engine: kernel?.canRun(p.id) ? 'kernel' as const : 'model' as const }));
      if (!args.flags.has('checks')) {
        await print(json, paths, () => [...(kernel ? [`kernel engine on ${t(kernel.tree.path)} (${t(kernel.tree.version)})`] : []),
          ...paths.map(p => `${t(p.id)}: ${t(p.title)} [${p.engine}]\n  ${t(p.steps.join(' → '))}`)].join('\n'));
        return 0;
      }
      const baseline = baselineFlag(args);
      // contract v2: the paths array, each path with its checks in order (and the baseline they are read for).
      const withChecks = paths.map(p => ({ ...p, baseline, checks: pathChecks(p.id).map(c => ({ ...c, inBaseline: c.baselines.includes(baseline) })) }));
      await print(json, withChecks, () => [`baseline ${baseline} (${BASELINE_INFO[baseline].kernel})`,
        ...withChecks.map(p => `${p.id}: ${p.title}\n${p.checks.map(c => `  ${c.inBaseline ? ' ' : '-'} ${c.id} (${c.function}, ${c.since ?? '?'}${c.until ? `..${c.until}` : ''})${c.tests.length ? ` tests: ${t(c.tests.map(test => test.function).join(', '))}` : ''}`).join('\n')}`)].join('\n'));
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
        catch (e) { if (e instanceof UsageError) throw e; throw new UsageError(`scenario ${t(scenarioFile)} is not valid JSON: ${jsonProblem(e)}`); }
      }
      if (args.flags.has('baseline')) {
        if (typeof scenario !== 'object' || scenario === null || Array.isArray(scenario)) throw new UsageError('the scenario must be a JSON object');
        scenario = { ...scenario as object, baseline: baselineFlag(args) };
      }
      const patchFile = args.flags.get('patch');
      if (command === 'diverge' && typeof patchFile !== 'string') throw new UsageError('diverge needs --patch FILE');
      const patch = typeof patchFile === 'string' ? parsePatchDocument(readInput(patchFile, 'patch file'), { locator: await loadLocator() }) : undefined;
      const tooLarge = patch?.diagnostics.find(d => d.code === 'too-large');
      if (tooLarge) throw new UsageError(`${t(patchFile)}: ${tooLarge.message.replace(/ \(raise kvmPatchReview\.maxFileSizeMB to analyse it\)$/, '')}`);
      const kernel = await engineFor(args);
      if (command === 'diverge') {
        const asTest = args.flags.get('as-test');
        if (asTest !== undefined && !TEST_SUITES.includes(asTest as TestSuite)) throw new UsageError(`--as-test takes ${TEST_SUITES.join(' or ')}`);
        const budgetFlag = args.flags.get('budget');
        const maxMs = budgetFlag === undefined ? undefined : Number(budgetFlag);
        if (maxMs !== undefined && !(Number.isFinite(maxMs) && maxMs > 0)) throw new UsageError('--budget takes a time in milliseconds');
        simulate(pathId, scenario, { trace: false });   // a bad path or scenario is exit 2 before any search
        // the kernel engine on the tree when it can run the patch on this path; else the model, saying why
        const found = await divergeWith(divergeEngines(kernel), pathId, scenario as Record<string, unknown>, patch!, { maxMs });
        const warnings = found.fallbacks.map(f => fallBack(f.reason));
        if (typeof asTest === 'string') { process.stdout.write(witnessesAsTests(asTest as TestSuite, pathId, found.witnesses)); return 0; }
        const out = { ...found, ...(found.engine === 'kernel' && kernel ? { tree: kernel.tree } : {}), witnesses: found.witnesses.map(briefWitness), diverging: found.diverging.map(briefWitness), warnings };
        await print(json, out, () => [
          `${found.engine} engine${found.engine === 'kernel' && kernel ? ` (tree ${t(kernel.tree.version)} at ${t(kernel.tree.path)}${found.applied && found.applied !== 'applied' ? `, patch ${found.applied}` : ''})` : ''}: searched ${found.searched} scenarios${found.complete ? ` (complete, ${found.proof})` : found.truncated ? ' (stopped at the budget)' : ''}; ${found.witnesses.length} witness${found.witnesses.length === 1 ? '' : 'es'}`
            + (found.status === 'nothing-on-path' ? `; the patch changes nothing the ${found.engine} engine runs on ${pathId}` : ''),
          ...warnings.map(w => `  warning: ${t(w)}`),
          ...found.witnesses.map(w => `  ${t(w.changes.map(c => c.label).join(' + ') || '(the scenario itself)')}: ${t(w.before.outcome.kind)} → ${t(w.after.outcome.kind)} at ${t(w.decidedAt)} (${w.count})`),
          ...(found.notSimulated ? [`${found.notSimulated} change${found.notSimulated === 1 ? '' : 's'} could not be simulated:`, ...found.changes.filter(c => c.kind === 'unplaced').map(c => `  line ${c.sourceLine}: ${t(c.reason)}`)] : []),
        ].join('\n'));
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
        const cmp: ModelComparison | ReturnType<KernelEngine['comparePatch']> = kernel && kernel.canRun(pathId) ? kernel.comparePatch(pathId, scenario, patch) : compareModel(pathId, scenario as Record<string, unknown>, patch);
        output.patch = cmp;
      }
      const cmp = output.patch as (ModelComparison & { fallback?: string }) | undefined;
      await print(json, output, () => [`${t(output.path)}: ${t(output.outcome.kind)} (${output.engine === 'kernel' ? `kernel engine, tree ${t((output.tree as { version: string }).version)} at ${t((output.tree as { path: string }).path)}` : 'model engine'})`,
        ...output.trace.map(s => `  ${s.result.padEnd(4)} ${t(s.function)} ${t(s.check)}${s.location ? ` (${t(s.location)})` : ''}`),
        ...output.warnings.map(w => `  warning: ${t(w)}`),
        ...(cmp ? [`before the patch: ${t(cmp.before.outcome.kind)}; after: ${t(cmp.after.outcome.kind)}${cmp.differs ? ' (differs)' : ''}${cmp.fallback ? ` (model engine: ${t(cmp.fallback)})` : ''}`,
          ...(cmp.changedChecks as { check?: string | null; define?: string; sourceLine: number; before: string | null; after: string | null; reason?: string }[]).map(c => `  ${t(c.check ?? (c.define ? `#define ${c.define}` : '(unmapped)'))} line ${c.sourceLine}: ${t(c.before ?? '(none)')} → ${t(c.after ?? '(none)')}${c.reason ? ` — ${t(c.reason)}` : ''}`)] : [])].join('\n'));
      return 0;
    }
    case 'reply': return replyCommand(rest[0], args);
    case 'fetch': return fetchCommand(rest[0], args, json);
    case undefined: console.log(HELP); return 2;
    default: throw new UsageError(`unknown command "${command}" (parse, explain, paths, simulate, diverge, reply, fetch)`);
  }
}

/** `kvm-review reply`: prints the reply (or an mbox of replies); warnings on stderr. */
function replyCommand(mailFile: string | undefined, args: Args): number {
  const mail = readInput(mailFile, 'mail file');
  const commentsFile = args.flags.get('comments');
  if (typeof commentsFile !== 'string') throw new UsageError('reply needs --comments FILE.json');
  let comments: unknown;
  try { comments = JSON.parse(readInput(commentsFile, 'comments file')); }
  catch (e) { if (e instanceof UsageError) throw e; throw new UsageError(`comments ${commentsFile} is not valid JSON: ${(e as Error).message}`); }
  const from = args.flags.get('from');
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  const replies = buildReplies(mail, { comments: comments as ReplyComment[], trailers: args.lists.get('trailer') ?? [], from: typeof from === 'string' ? from : undefined,
    date: Number.isFinite(epoch) && process.env.SOURCE_DATE_EPOCH ? new Date(epoch * 1000) : new Date() });
  for (const r of replies) for (const w of r.warnings) console.error(`kvm-review: ${w}`);
  process.stdout.write(repliesText(replies));
  return 0;
}

/** `kvm-review fetch`: writes the chosen revision as an mbox; 1 when the message does not exist. */
async function fetchCommand(target: string | undefined, args: Args, json: boolean): Promise<number> {
  if (!target) throw new UsageError('fetch needs a Message-ID or a message URL');
  const output = args.flags.get('output');
  if (typeof output !== 'string') throw new UsageError('fetch needs -o FILE');
  const server = args.flags.get('server'), list = args.flags.get('list'), wanted = args.flags.get('revision');
  if (wanted !== undefined && !/^\d+$/.test(String(wanted))) throw new UsageError(`--revision takes a number, not "${String(wanted)}"`);
  let loc;
  try { loc = parseMessageLocation(target, typeof server === 'string' ? server : process.env.KVM_REVIEW_SERVER || DEFAULT_SERVER, typeof list === 'string' ? list : 'all'); }
  catch (e) { throw new UsageError((e as Error).message); }
  let thread;
  try { thread = await fetchThread(loc); }
  catch (e) {
    if (e instanceof FetchError && e.notFound) { console.error(`kvm-review: ${e.message}`); return 1; }
    throw new UsageError((e as Error).message);
  }
  const series = buildSeries(readMailbox(thread.mbox));
  const revision = wanted !== undefined ? series.revisions.find(r => r.version === Number(wanted)) : series.revisions[series.revisions.length - 1];
  if (wanted !== undefined && !revision) throw new UsageError(`the thread has no v${String(wanted)} (it has ${series.revisions.map(r => `v${r.version}`).join(', ') || 'no series'})`);
  let newer: NewerRevision[] = [];
  const top = revision?.cover ?? revision?.patches.find(Boolean);
  if (top) {
    try { newer = newerRevisions(series, readMailbox(await searchMbox(loc.server, loc.list, revisionQuery(subjectStem(top.subject))))); }
    catch (e) { console.error(`kvm-review: search for newer revisions failed: ${(e as Error).message}`); }
  }
  const linkBase = `${loc.server}/${loc.list === 'all' ? 'r' : loc.list}`;
  const mbox = revision ? revisionMbox(revision, linkBase) : thread.mbox;
  try { fs.writeFileSync(output, mbox); }
  catch (e) { throw new UsageError(`cannot write ${output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  const result = { url: thread.url, output, revisions: series.revisions.map(r => r.version), revision: revision ? revisionSummary(revision) : null, newer };
  await print(json, result, () => {
    if (!revision) return `${t(thread.url)}: no patch series in the thread; wrote the thread to ${t(output)}`;
    const s = revisionSummary(revision);
    const trailers = s.patches.reduce((n, p) => n + ('trailers' in p ? p.trailers!.length : 0), 0);
    const missing = s.patches.filter(p => 'missing' in p).map(p => p.index);
    return [`v${revision.version}: ${revision.cover ? 'cover + ' : ''}${s.patches.length - missing.length}/${revision.total} patches${missing.length ? ` (missing ${missing.join(', ')})` : ''}, ${trailers} trailer${trailers === 1 ? '' : 's'} collected from ${revision.followUps.length} follow-up${revision.followUps.length === 1 ? '' : 's'} → ${t(output)}`,
      ...(series.revisions.length > 1 ? [`revisions in the thread: ${series.revisions.map(r => `v${r.version}`).join(', ')}`] : []),
      ...newer.map(n => `newer revision v${n.version}: ${t(n.subject)} ${t(n.messageId)} (same ${n.via})`)].join('\n');
  });
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(code => { process.exitCode = code; }, (e: unknown) => {
    // one line on stderr and exit 2 whatever went wrong (the contract allows no other exit code)
    if (e instanceof UsageError || e instanceof ScenarioError || e instanceof ReplyError) console.error(`kvm-review: ${oneLine(e.message, 2000)}`);
    else console.error(`kvm-review: internal error: ${oneLine(e instanceof Error ? e.message : String(e), 2000)}`);
    process.exitCode = 2;
  });
}
