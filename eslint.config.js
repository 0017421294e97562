// Lint = style + the import boundaries of docs/ARCHITECTURE.md ("who may import whom").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeOnly = ['node:*', 'fs', 'path', 'child_process', 'os', 'http', 'net', 'crypto'];
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'dist-electron/**', 'data/**', '.cache/**', 'tests/output/**', 'bench/output/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // The renderer runs in a browser sandbox: it may import only the booth contract and its own files.
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      [...nodeOnly, 'electron', '**/drivers/**', '**/uploader/**', '**/intake/**', '../main/!(contract)*', '../../main/!(contract)*', '**/lib/!(i18n)*/**', 'better-sqlite3', 'fastify'],
      'renderer/ may import only contract/kiosk.ts and browser code (STYLE.md habit 4).',
    ),
  },
  {
    files: ['intake/web/**/*.{ts,tsx}'],
    ignores: ['intake/web/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      [...nodeOnly, 'electron', '**/drivers/**', '**/uploader/**', '**/main/**', '../store/**', '../server*', 'better-sqlite3', 'fastify'],
      'intake/web/ is browser code: it may import only contract/booth.ts, intake/web/ and lib/i18n.',
    ),
  },
  {
    files: ['drivers/**/*.ts'],
    rules: restrict(
      ['electron', '**/uploader/**', '**/main/**', '**/intake/**', '**/renderer/**'],
      'drivers/ may import only lib/ and each driver its own files; never electron, uploader, main or intake.',
    ),
  },
  {
    files: ['uploader/**/*.ts'],
    rules: restrict(
      ['electron', '**/drivers/**', '**/main/**', '**/renderer/**', '**/intake/!(contract)*', '**/intake/*/**'],
      'uploader/ may import lib/ and contract/booth.ts only; never electron or drivers.',
    ),
  },
  {
    files: ['main/**/*.ts', 'intake/**/*.ts', 'lib/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: restrict(['electron'], 'Only main/electron/ may import electron: the booth core runs in plain Node.'),
  },
  {
    files: ['lib/**/*.ts'],
    rules: restrict(['electron', '**/main/**', '**/intake/**', '**/uploader/**', '**/drivers/**', '**/renderer/**'], 'lib/ is the bottom layer: it imports nothing of the project.'),
  },
  {
    files: ['intake/**/*.ts'],
    ignores: ['intake/web/**'],
    rules: restrict(['electron', '**/main/**', '**/uploader/**', '**/renderer/**'], 'intake/ is a separate program: it may import lib/ and drivers/media only.'),
  },
  {
    files: ['tests/**/*.{ts,tsx}', 'bench/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
