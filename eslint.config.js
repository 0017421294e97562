// Lint = style + the import fences of docs/ARCHITECTURE.md ("Who may import whom").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

import fences from './scripts/eslint-fences.js';

// Who may import whom, by folder (the longest folder that holds a file decides). An allow-list:
// anything of the project not listed is refused. docs/ARCHITECTURE.md draws the same table and
// tests/architecture/fences.int.test.ts keeps the two equal and lints one probe per forbidden edge.
const DRIVERS = ['drivers/idcard', 'drivers/media', 'drivers/printer'];
export const FENCES = {
  root: import.meta.dirname,
  areas: {
    contract: ['contract', 'lib'],
    lib: ['lib'],
    'drivers/idcard': ['drivers/idcard', 'lib'],
    'drivers/media': ['drivers/media', 'lib'],
    'drivers/printer': ['drivers/printer', 'lib'],
    uploader: ['uploader', 'contract', 'lib'],
    main: ['main', 'contract', 'uploader', ...DRIVERS, 'lib'],
    renderer: ['renderer', 'contract'],
    intake: ['intake', 'contract', 'drivers/media', 'lib'],
    'intake/web': ['intake/web', 'contract'],
    // What tests/ and bench/ both use (link shaper, chaos proxy, Postgres, staff seeding…): bench/ reaches tests/ only through it.
    testkit: ['testkit', 'contract', 'uploader', 'intake', 'lib'],
    bench: ['bench', 'contract', 'main', 'uploader', 'intake', ...DRIVERS, 'lib', 'testkit'],
    tests: ['*'],
    scripts: ['*'],
  },
  // Single files with more than their folder: the one place that embeds the intake in the booth.
  files: { 'main/start.ts': ['intake'] },
  // Packages: browser code gets no Node built-in and no server package; contract/ only zod.
  packages: { contract: { only: ['zod'], browser: true }, renderer: { browser: true }, 'intake/web': { browser: true } },
  serverPackages: [
    'better-sqlite3',
    'fastify',
    '@fastify/cookie',
    '@fastify/rate-limit',
    '@fastify/static',
    '@node-rs/argon2',
    '@tus/file-store',
    '@tus/server',
    'kysely',
    'pg',
    'pino',
    'node-hid',
    'serialport',
    'usb',
    'electron',
    'electron-updater',
    'tsx',
  ],
  electron: ['main/electron', 'scripts', 'tests'],
};

const STAFF_CLIENT =
  'the staff app calls the intake through its typed client: staff.<group>.<name>() or href(staffApi.<group>.<name>) from intake/web/api.ts (a new route: contract/staff/ first)';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'dist-electron/**',
      'data/**',
      '.cache/**',
      'tests/output/**',
      'bench/output/**',
      'release/**',
      'build/**',
    ],
  },
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
    files: ['renderer/**/*.{ts,tsx}', 'intake/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.{ts,tsx,js}'],
    ignores: ['renderer/vite.config.ts', 'intake/web/vite.config.ts'],
    plugins: { fences },
    rules: { 'fences/allowed-imports': ['error', FENCES] },
  },
  // The staff app reaches the intake only through its typed client (intake/web/api.ts, built from
  // contract/staff/): no other fetch or XMLHttpRequest, no staff API path written in a page.
  // tests/intake/web/typedClient.test.ts lints one probe per form.
  {
    files: ['intake/web/**/*.{ts,tsx}'],
    ignores: ['intake/web/api.ts', 'intake/web/vite.config.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: STAFF_CLIENT },
        { name: 'XMLHttpRequest', message: STAFF_CLIENT },
        { name: 'EventSource', message: STAFF_CLIENT },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'fetch', message: STAFF_CLIENT },
        { object: 'globalThis', property: 'fetch', message: STAFF_CLIENT },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'Literal[value=/^\\/staff\\/(api|media)\\//]', message: STAFF_CLIENT },
        { selector: 'TemplateElement[value.raw=/^\\/staff\\/(api|media)\\//]', message: STAFF_CLIENT },
      ],
    },
  },
  {
    files: ['tests/**/*.{ts,tsx}', 'bench/**/*.ts', 'testkit/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
