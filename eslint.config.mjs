import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-test/**', 'dist-package/**', 'node_modules/**', '.vscode-test/**', 'test-artifacts/**', 'bench/.data/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/core is vscode-free (docs/architecture.md, Layers and import rules).' }],
        patterns: [{ group: ['**/shared/**', '**/extension/**', '**/cli/**', '**/webview/**'], message: 'src/core is the bottom layer: it imports nothing from src/shared, src/extension, src/cli or webview/ (docs/architecture.md, Layers and import rules).' }],
      }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['**/core/**', '!**/core/l10n', '!**/core/invisible', '!**/core/auditPhrases', 'vscode', 'node:*'], message: 'The webview imports only src/shared and the browser-safe src/core/l10n, src/core/invisible and src/core/auditPhrases.' }] }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
