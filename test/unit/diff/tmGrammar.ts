// The project's TextMate grammar, loaded with vscode-textmate + vscode-oniguruma as VS Code does
// (shared by the grammar tests).
import fs from 'node:fs';
import path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const ROOT = path.resolve(__dirname, '../../..');

/** Loads text.kvm-patch. */
export async function loadPatchGrammar(): Promise<vsctm.IGrammar> {
  await oniguruma.loadWASM(fs.readFileSync(path.join(ROOT, 'node_modules/vscode-oniguruma/release/onig.wasm')).buffer as ArrayBuffer);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope: string) => (scope === 'text.kvm-patch' ? vsctm.parseRawGrammar(fs.readFileSync(path.join(ROOT, 'syntaxes/kvm-patch.tmLanguage.json'), 'utf8'), 'kvm-patch.tmLanguage.json') : null),
  });
  return (await registry.loadGrammar('text.kvm-patch'))!;
}
