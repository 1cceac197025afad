import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const noHostImports = (message) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: ['vscode'], message },
        { group: ['@aws-sdk/*', '@smithy/*'], message },
        {
          group: [
            'node:fs',
            'node:fs/*',
            'fs',
            'fs/*',
            'node:child_process',
            'child_process',
            'node:net',
            'node:http',
            'node:http2',
            'node:https',
          ],
          message,
        },
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['dist/**', 'media/**', 'node_modules/**', '.vscode-test/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // Layering (see shared/style/HOUSE-STYLE.md): core and protocol have no host, no SDK, no I/O.
  {
    files: ['src/core/**/*.ts', 'src/protocol/**/*.ts'],
    rules: noHostImports('src/core and src/protocol stay free of vscode, the AWS SDK and I/O: put it behind a port in src/core/ports.ts'),
  },
  {
    files: ['src/node/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['vscode'], message: 'src/node and src/cli never import vscode' }] }],
    },
  },
  { files: ['src/**/*.ts'], ignores: ['src/cli/**'], rules: { 'no-console': 'error' } },
  // Scripts and benchmarks run under Node.
  { files: ['**/*.mjs', 'scripts/**', 'bench/**'], languageOptions: { globals: globals.node } },
);
