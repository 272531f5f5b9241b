// Layer rules are lint rules: the pure core (mail knowledge cfunctions diff sim kernel review explain)
// never imports vscode and never touches the file system, and every folder imports only the floors below it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The floors, from the ground up: mail, knowledge -> cfunctions -> diff, sim, kernel -> review ->
// explain -> core/cli/io -> platform -> features -> extension. Each folder lists what it may
// import of ours; anything else of ours is a wrong-way import. test/unit/architecture.test.ts
// lints deliberately wrong imports to show these rules bite.
const PURE_DIRS = ['mail', 'knowledge', 'cfunctions', 'diff', 'sim', 'kernel', 'review', 'explain'];
const OURS = [...PURE_DIRS, 'io', 'platform', 'features', 'core', 'cli', 'extension'];
/** What each folder (or top-level file) may import of ours, besides itself. */
export const MAY_IMPORT = {
  mail: [],
  knowledge: [],
  cfunctions: ['knowledge'],
  diff: ['mail', 'knowledge', 'cfunctions'],
  sim: ['mail', 'knowledge', 'cfunctions'],
  kernel: ['mail', 'knowledge', 'cfunctions', 'sim'],
  review: ['mail', 'knowledge', 'cfunctions', 'diff', 'sim', 'kernel'],
  explain: ['mail', 'knowledge', 'cfunctions', 'diff', 'sim', 'kernel', 'review'],
  io: PURE_DIRS,
  core: [...PURE_DIRS, 'io'],
  cli: [...PURE_DIRS, 'io'],
  // editor code reaches the pure core through src/core.ts only (loaded on first use); types are free
  platform: ['core', 'io'],
  features: ['core', 'io', 'platform'],
  extension: ['core', 'platform', 'features'],
};
const TYPES_FREE = new Set(['platform', 'features', 'extension']);
const NO_IO = [
  { name: 'vscode', message: 'The pure core must not import vscode: put editor code in src/features or src/platform.' },
  ...['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process']
    .map(name => ({ name, message: 'The pure core does no I/O: take the bytes (or an adapter from src/io) as an argument.' })),
];
const NO_VSCODE = [{ name: 'vscode', message: 'Only src/platform, src/features and src/extension.ts use vscode.' }];
const rx = s => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One no-restricted-imports block per folder and file depth (an import's `../` count is exact). */
function layerRules() {
  const blocks = [];
  for (const [layer, allowed] of Object.entries(MAY_IMPORT)) {
    const banned = OURS.filter(o => o !== layer && !allowed.includes(o));
    const paths = PURE_DIRS.includes(layer) ? NO_IO : layer === 'io' || layer === 'core' || layer === 'cli' ? NO_VSCODE : [];
    const message = `src/${layer} may import only ${allowed.length ? allowed.map(a => `src/${a}`).join(', ') : 'itself'} of ours (the floors are in eslint.config.mjs)${TYPES_FREE.has(layer) ? '; type-only imports are fine' : ''}.`;
    const isFile = ['core', 'cli', 'extension'].includes(layer);
    for (let depth = isFile ? 0 : 1; depth <= (isFile ? 0 : 5); depth++) {
      const up = depth === 0 ? '\\./' : `(\\.\\./){${depth}}`;
      const patterns = [{ regex: `^${up}(${banned.map(rx).join('|')})(/|$)`, message, ...(TYPES_FREE.has(layer) ? { allowTypeImports: true } : {}) }];
      if (layer === 'features') {
        // features never import each other: anything reached through src/features/ is another feature
        patterns.push({ regex: depth === 1 ? '^\\./' : `^(\\.\\./){${depth - 1}}[^.]`, message: 'Features never import each other: put what two features share in src/platform (or src/core).' });
      }
      const files = isFile ? [`src/${layer}.ts`] : [`src/${layer}/${Array(depth).fill('*').join('/').replace(/\*$/, '*.ts')}`];
      blocks.push({ files, rules: { 'no-restricted-imports': ['error', { paths, patterns }] } });
    }
  }
  return blocks;
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', '.run/**', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
    },
  },
  ...layerRules(),
);
