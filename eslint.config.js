import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Type-aware lint: floating promises and misused promises are errors. */
export default tseslint.config(
  { ignores: ['**/node_modules/**', 'gen/**', '.dependency-cruiser.cjs', '.local/**', '.data/**', '**/dist/**', 'jest.config.js', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
