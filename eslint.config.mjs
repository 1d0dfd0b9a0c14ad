// Lint rules that carry design decisions: no floating promises anywhere, and
// workflow code that imports nothing at run time but @temporalio/workflow.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'generated/', 'data/', 'coverage/', '*.config.js', '*.config.mjs', 'prisma.config.ts', '.tmp-verify/', '.venv-fuzz/', '.schemathesis/', 'bench/results/', '.test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!@temporalio/workflow$|\\./|\\.\\./).*',
              message: 'Workflow code imports only @temporalio/workflow at run time (types are fine).',
              allowTypeImports: true,
            },
            {
              regex: '^\\.\\./(?!workflows/).*',
              message: 'Workflow code imports only @temporalio/workflow at run time (types are fine).',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
