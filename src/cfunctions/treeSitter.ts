// The tree-sitter locator: web-tree-sitter initialised from the bytes of its runtime wasm and of
// tree-sitter-c's grammar wasm (the caller reads the files; nothing here touches the disk).
import { Parser, Language, type Node } from 'web-tree-sitter';
import type { CFunctionLocator } from './changed';
import { scanFunctions, type FunctionSpan } from './cscan';

/** The identifier a (possibly pointer / parenthesised) declarator declares. */
function declaratorName(node: Node | null, guard = 0): string | null {
  if (!node || guard > 16) return null;
  if (node.type === 'identifier' || node.type === 'field_identifier') return node.text;
  const inner = node.childForFieldName('declarator');
  if (inner) return declaratorName(inner, guard + 1);
  for (const child of node.namedChildren) {
    if (!child) continue;
    const n = declaratorName(child, guard + 1);
    if (n) return n;
  }
  return null;
}

/** Creates the tree-sitter C locator. Rejects when the wasm bytes cannot be loaded. */
export async function createCFunctionLocator(wasm: { runtime: Uint8Array; language: Uint8Array }): Promise<CFunctionLocator> {
  await Parser.init({ wasmBinary: wasm.runtime } as never);
  const language = await Language.load(wasm.language);
  const parser = new Parser();
  parser.setLanguage(language);
  return {
    engine: 'tree-sitter',
    functions(source: string, rows?: number[]): FunctionSpan[] {
      // The brace scan answers most fragments as well as tree-sitter does (see the agreement
      // figures in bench/parse.bench.ts) at a tenth of the cost: tree-sitter is consulted only
      // for the rows the scan leaves outside every function.
      const scanned = scanFunctions(source);
      if (rows && rows.every(r => scanned.some(s => s.startRow <= r && r <= s.endRow))) return scanned;
      const tree = parser.parse(source);
      if (!tree) return scanned;
      try {
        // Fragments full of kernel macros often parse with errors; there the brace scanner is
        // the better judge (measured: see bench/parse.bench.ts), so tree-sitter answers only
        // for texts it parses cleanly.
        if (tree.rootNode.hasError) return scanned;
        const out: FunctionSpan[] = [];
        const stack: Node[] = [tree.rootNode];
        let guard = 0;
        while (stack.length && guard++ < 200000) {
          const node = stack.pop()!;
          if (node.type === 'function_definition') {
            const name = declaratorName(node.childForFieldName('declarator'));
            if (name) out.push({ name, startRow: node.startPosition.row, endRow: node.endPosition.row });
          }
          for (let k = node.namedChildCount - 1; k >= 0; k--) { const c = node.namedChild(k); if (c) stack.push(c); }
        }
        return out;
      } finally { tree.delete(); }
    },
  };
}
