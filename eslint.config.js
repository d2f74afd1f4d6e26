// @ts-check
/**
 * ESLint flat config (ESLint 10, typescript-eslint 8). Not type-aware, so `npx eslint .` stays fast;
 * `tsc` does the type checking.
 *
 * Besides the recommended rules it enforces the one-way arrows of docs/architecture.md#layers
 * (ui → state → worker → model → sim) with `no-restricted-imports`, one block per folder.
 * Relative imports are matched by regex on the specifier: `../model/x`, `../../model`,
 * `src/model/x` and `/src/model/x` all count as "src/model".
 */
import js from '@eslint/js';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Regex prefix that reaches a top-level folder of src/ from inside another one. */
const UP = String.raw`^(?:(?:\.\./)+(?:src/)?|/?src/)`;

/**
 * A `no-restricted-imports` pattern for one or more src/ folders.
 * @param {string[]} dirs folder names under src/
 * @param {string} message why the import is refused
 * @param {boolean} [allowTypeImports] let `import type` through
 */
const srcDirs = (dirs, message, allowTypeImports = false) => ({
  regex: `${UP}(?:${dirs.join('|')})(?:/|$)`,
  message,
  allowTypeImports,
});

/**
 * A `no-restricted-imports` pattern for npm packages (and their subpaths).
 * @param {string[]} names package names, e.g. 'react' or '@tensorflow/tfjs'; '@tensorflow/*' = the scope
 * @param {string} message why the import is refused
 * @param {boolean} [allowTypeImports] let `import type` through
 */
const pkgs = (names, message, allowTypeImports = false) => ({
  regex: `^(?:${names
    .map((n) => n.replaceAll('.', '\\.').replace(/\/\*$/, '/.+'))
    .join('|')})(?:/.*)?$`,
  message,
  allowTypeImports,
});

/**
 * One config block restricting what the files under `src/<dir>/` may import.
 * @param {string} dir folder under src/
 * @param {ReturnType<typeof srcDirs>[]} patterns
 * @returns {import('eslint').Linter.Config}
 */
const boundary = (dir, patterns) => ({
  name: `recsys/boundaries/${dir}`,
  files: [`src/${dir}/**/*.{ts,tsx,js,jsx}`],
  rules: {
    'no-restricted-imports': 'off',
    '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
  },
});

const arrows = 'Imports point one way: ui → state → worker → model → sim (DESIGN.md §7).';

export default defineConfig(
  {
    name: 'recsys/ignores',
    ignores: [
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'blob-report/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'recsys/base',
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.browser },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    name: 'recsys/worker-globals',
    files: ['src/worker/**/*.{ts,js}'],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    name: 'recsys/node-globals',
    files: [
      'scripts/**/*.{ts,js}',
      'e2e/**/*.{ts,js}',
      '*.config.{js,ts,mjs,cjs}',
      'src/**/*.test.{ts,tsx}',
    ],
    languageOptions: { globals: { ...globals.node } },
  },

  // ---- Folder boundaries (docs/architecture.md#layers) -------------------------------------
  boundary('sim', [
    srcDirs(
      ['model', 'serve', 'protocol', 'worker', 'state', 'ui'],
      `src/sim is pure TypeScript and imports nothing of the others. ${arrows}`,
    ),
    pkgs(
      [
        '@tensorflow/*',
        'react',
        'react-dom',
        'zustand',
        'd3',
        'd3-selection',
        'd3-transition',
        'd3-axis',
      ],
      'src/sim has no tfjs, no React, no state and no DOM (d3-random / d3-array are fine).',
    ),
  ]),
  boundary('model', [
    srcDirs(
      ['protocol', 'worker', 'state', 'ui'],
      `src/model may not import protocol, worker, state or ui. ${arrows}`,
    ),
    pkgs(
      ['react', 'react-dom', 'zustand', 'd3-selection'],
      'src/model never touches the DOM, React or the store.',
    ),
  ]),
  boundary('serve', [
    srcDirs(
      ['protocol', 'worker', 'state', 'ui'],
      `src/serve may not import protocol, worker, state or ui. ${arrows}`,
    ),
    pkgs(
      ['react', 'react-dom', 'zustand', 'd3-selection'],
      'src/serve never touches the DOM, React or the store.',
    ),
  ]),
  boundary('worker', [
    srcDirs(['state', 'ui'], `src/worker may not import state or ui. ${arrows}`),
    pkgs(['react', 'react-dom'], 'src/worker has no React.'),
  ]),
  boundary('state', [
    srcDirs(['ui'], `src/state may not import ui. ${arrows}`),
    pkgs(['@tensorflow/*'], 'src/state never runs tfjs: talk to the worker through its protocol.'),
  ]),
  boundary('protocol', [
    srcDirs(
      ['worker', 'state', 'ui'],
      `src/protocol is shared by the page and the worker and imports neither. ${arrows}`,
    ),
    pkgs(
      ['@tensorflow/*', 'react', 'react-dom', 'zustand', 'd3', 'umap-js'],
      'src/protocol runs on both sides: types, constants and tables only (no tfjs, no DOM).',
      true,
    ),
  ]),
  boundary('ui', [
    srcDirs(
      ['model'],
      'The UI never runs tfjs on the main thread: use the store / worker protocol (type-only imports are fine).',
      true,
    ),
    srcDirs(['protocol'], 'The UI reaches the worker protocol only through src/state.'),
    {
      // src/worker/** except Vite's `?worker` / `?url` imports, which start the worker rather
      // than run its code here.
      regex: `${UP}worker(?:$|/(?!.*\\?(?:worker|sharedworker|url)(?:&|$)))`,
      message: 'The UI talks to the worker only through src/state.',
      allowTypeImports: false,
    },
    pkgs(
      ['@tensorflow/*'],
      'The UI never runs tfjs on the main thread (type-only imports are fine).',
      true,
    ),
  ]),
);
