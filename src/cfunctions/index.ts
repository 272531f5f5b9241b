// Facade of cfunctions: which C functions a hunk changes (pure; wasm bytes come from the caller).
export { changedFunctionsOf, changedFunctionsOfTexts, heuristicLocator, KIND_CONTEXT, KIND_ADD, KIND_DEL, type CFunctionLocator, type HunkBody } from './changed';
export { scanFunctions, braceProfile, functionNameOf, isFunctionHeader, type FunctionSpan } from './cscan';
export { createCFunctionLocator } from './treeSitter';

