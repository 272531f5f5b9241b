// The pure core as the editor features use it. It is bundled separately (dist/core-impl.js) and
// loaded on first use, so that activating the extension does not evaluate the model's tables,
// the simulator or tree-sitter (scripts/build.mjs maps imports of this module to a lazy loader).
// Features and platform code import the core only through this module.
export { parsePatchDocument } from './diff';
export { createCFunctionLocator } from './cfunctions';
export { computeHover, documentMarkdown, explain, isModeledFunction, modelEntries } from './explain';
export { allChecks, listPaths, pathsThrough, presets, simulate, ScenarioError } from './sim';
export { compareModel, divergeModel } from './review/modelDiverge';
export { divergeWith } from './review/engine';
export type { EngineDivergence } from './review/engine';
export { divergeEngines } from './io/divergeEngines';
export { answerView } from './review/answerView';
export { witnessesAsTests } from './review/asTest';
export { isCommentOnlyHunk } from './review/commentOnly';
export { redefinitionsOf } from './review/checkChanges';
export { mdCodeBlock, mdText } from './mail/markdown';
export { jsonProblem } from './mail/controls';
export { buildReplies, repliesText, ReplyError } from './review/series/reply';
export { buildSeries, readMailbox, revisionMbox, revisionSummary, newerRevisions, subjectStem } from './review/series/series';
export { rangeDiff, rangeDiffText, patchKey } from './review/series/rangeDiff';
export { checkMaintainerRules } from './review/series/rules';
export { looksLikePatchMail } from './mail/sniff';
export { chooseEngine, openKernelEngine } from './io/kernelEngine';
export type { KernelEngine } from './io/kernelEngine';
