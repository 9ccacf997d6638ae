// Lint rules that enforce ../shared/ARCHITECTURE.md's dependency direction. Read the
// `layers` table below to know what each package may import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'node:*'];

/** Sans-I/O packages: no Node built-ins, no other package of this repo. */
const sansIo = ['sip', 'media', 'flow', 'contracts'];

/** What each workspace package may import from this repo (by package name). */
const layers = {
  sip: [],
  media: [],
  flow: [],
  contracts: [],
  'sip-node': ['sip'],
  'media-node': ['media'],
  pbx: ['sip', 'media', 'flow'],
  db: [],
  api: ['contracts', 'db', 'pbx', 'sip', 'flow'],
  ui: ['contracts'],
  testkit: ['sip', 'sip-node', 'media', 'media-node', 'db'],
};

const repoPackage = (name) => `@switchboard/${name}`;

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'data/**',
      'coverage/**',
      'apps/*/public/**',
      'tmp/**',
      '**/*.tmp.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { ecmaVersion: 2023, sourceType: 'module' },
    },
    settings: {
      // Resolves relative and workspace imports so no-cycle and no-relative-packages can see them.
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs'] })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Imports between packages by package name only: a relative path may not leave its package.
      'import-x/no-relative-packages': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/packages/*/src/**', '**/apps/*/src/**'],
              message: 'Import other packages by name (@switchboard/…).',
            },
          ],
        },
      ],
      // process.env is read in one place only: apps/server/src/config.ts.
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration in apps/server/src/config.ts only.',
        },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      'import-x/no-cycle': ['error', { maxDepth: 10, ignoreExternal: true }],
    },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
  },
  // No console in libraries: they log through an injected logger.
  {
    files: ['packages/**/*.ts', 'packages/**/*.tsx'],
    ignores: ['packages/**/*.test.ts', 'packages/**/test/**'],
    rules: { 'no-console': 'error' },
  },
  // Per-package import rules (layering; no node:* in sans-I/O packages).
  ...Object.entries(layers).map(([pkg, allowed]) => ({
    files: [`packages/${pkg}/src/**/*.ts`, `packages/${pkg}/src/**/*.tsx`],
    ignores: [`packages/${pkg}/src/**/*.test.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: sansIo.includes(pkg)
            ? nodeBuiltins.map((name) => ({ name, message: `${pkg} is sans-I/O: no Node built-ins.` }))
            : [],
          patterns: [
            {
              group: ['**/packages/*/src/**', '**/apps/*/src/**'],
              message: 'Import other packages by name (@switchboard/…).',
            },
            {
              group: ['@switchboard/*', ...allowed.map((a) => `!${repoPackage(a)}`)],
              message: `${pkg} may import only: ${allowed.map(repoPackage).join(', ') || 'nothing of this repo'} (see ARCHITECTURE.md).`,
            },
            ...(sansIo.includes(pkg)
              ? [{ group: ['node:*'], message: `${pkg} is sans-I/O: no Node built-ins.` }]
              : []),
          ],
        },
      ],
    },
  })),
  // Web apps reach data only over HTTP/WebSocket through contracts; the softphone also runs the
  // sans-I/O SIP stack in the browser. No Node built-ins in browser code.
  ...[
    ['portal', ['contracts']],
    ['phone', ['contracts', 'sip']],
  ].map(([app, allowed]) => ({
    files: [`apps/${app}/src/**/*.ts`, `apps/${app}/src/**/*.tsx`],
    ignores: [`apps/${app}/src/**/*.test.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: `apps/${app} runs in the browser: no Node built-ins.`,
          })),
          patterns: [
            {
              group: ['@switchboard/*', ...allowed.map((a) => `!${repoPackage(a)}`)],
              message: `apps/${app} may import only ${allowed.map(repoPackage).join(', ')} (ARCHITECTURE.md: web apps use contracts over HTTP).`,
            },
            { group: ['node:*'], message: `apps/${app} runs in the browser: no Node built-ins.` },
          ],
        },
      ],
    },
  })),
  // process.env has one reader; `import { env } from 'node:process'` is the same thing.
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['apps/server/src/config.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value=/^(node:)?process$/] ImportSpecifier[imported.name='env']",
          message: 'Read configuration in apps/server/src/config.ts only.',
        },
      ],
    },
  },
  {
    files: ['apps/server/src/config.ts', 'scripts/**', 'eslint.config.js'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
