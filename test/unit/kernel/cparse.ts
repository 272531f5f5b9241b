// Test helper: a tree-sitter C parser loaded from node_modules (the runtime's wasm and
// tree-sitter-c's grammar wasm), shared by the kernel front-end and interpreter tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Parser, Language } from 'web-tree-sitter';
import { parseCUnit } from '../../../src/kernel/front/convert';
import type { Program } from '../../../src/kernel/ast';

let parserPromise: Promise<Parser> | null = null;

/** The tree-sitter parser for C (loaded once per test process). */
export function cParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    const nm = path.join(__dirname, '../../../node_modules');
    await Parser.init({ wasmBinary: readFileSync(path.join(nm, 'web-tree-sitter/web-tree-sitter.wasm')) } as never);
    const language = await Language.load(readFileSync(path.join(nm, 'tree-sitter-c/tree-sitter-c.wasm')));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return parserPromise;
}

/** Parses a small C snippet (no preprocessing) into a Program. */
export async function parseC(text: string, file = 'test.c'): Promise<Program> {
  return parseCUnit(await cParser(), text, file);
}
