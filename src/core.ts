// The pure core as the editor features use it. It is bundled separately (dist/core-impl.js) and
// loaded on first use, so that activating the extension does not evaluate the model's tables,
// the simulator or tree-sitter (scripts/build.mjs maps imports of this module to a lazy loader).
// Features and platform code import the core only through this module.
export { parsePatchDocument } from './diff';
export { createCFunctionLocator } from './cfunctions';
export { computeHover, documentMarkdown, explain, isModeledFunction, modelEntries } from './explain';
export { listPaths, pathsThrough, presets, simulate, ScenarioError } from './sim';
export { comparePatch, divergePatch } from './review/patchSimulation';
export { redefinitionsOf } from './review/checkChanges';
export { chooseEngine, openKernelEngine } from './io/kernelEngine';
export type { KernelEngine } from './io/kernelEngine';
