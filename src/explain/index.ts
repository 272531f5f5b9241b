// Facade of the KVM nested-VMX model (pure, data-driven, built lazily on first use).
//   explain(query)        every reading of a name, alias, struct member or number (`kvm-review explain`)
//   explainAt(line, col)  the word under the cursor read in the context of its line
//   computeHover(...)     everything the hover shows, including what the enclosing hunk changes
//   suggest(query)        close names for "did you mean"
//   summarizeChange(...)  one-line summary of what a hunk changes
//   hoverMarkdown / documentMarkdown   markdown renderings
// The tables live in src/knowledge (constants, functions, symbols, nested control exposure); the indexes
// in ./entities; number decoding in ./decode and ./readings; lookup in ./lookup.
export type { EntityKind, Explanation, CheckFact, HistoryFact } from '../knowledge/types';
export { ENTITY_KINDS } from '../knowledge/types';
export { explain, explainAt, suggest, isModeledFunction, allNames, modelEntries, toExplainJson } from './lookup';
export { computeHover, hunkAtLine, hunkChangesFunction, type HoverContent } from './hover';
export { summarizeChange, type ChangeLine } from '../review/hunkChange';
export { hoverMarkdown, documentMarkdown, simulateLink, explainLink, SIMULATE_COMMAND, EXPLAIN_COMMAND, type HoverExtras } from './markdown';
export { decodeVmcsEncoding, parseNumber, type VmcsEncoding, type ParsedNumber } from './decode';
export { modelBuildMs, resetModelForBench } from './entities';
