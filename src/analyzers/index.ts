// Facade of the analyzers: which C functions a hunk changes (pure; wasm bytes come from the caller).
import { scanFunctions, type FunctionSpan } from './cscan';
import type { CFunctionLocator } from './changed';

export { changedFunctionsOf, type CFunctionLocator, type HunkBody } from './changed';
export { scanFunctions, braceProfile, functionNameOf, isFunctionHeader, type FunctionSpan } from './cscan';
export { createCFunctionLocator } from './treeSitter';

/** The cheap locator (brace structure), used until the tree-sitter one is loaded. */
export const heuristicLocator: CFunctionLocator = {
  engine: 'heuristic',
  functions(source: string): FunctionSpan[] { return scanFunctions(source); },
};
