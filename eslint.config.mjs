// @ts-check
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'test-output/**', 'dist-package/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // The pure core and the SDK wrapper must never depend on the editor.
    files: ['src/core/**/*.ts', 'src/aws/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'core/ and aws/ stay free of vscode.' }] }],
    },
  },
  {
    // The core may not load the SDK at runtime (type-only imports are fine).
    files: ['src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ group: ['@aws-sdk/*', '@smithy/*'], allowTypeImports: true, message: 'core/ must not load the AWS SDK; go through AwsGateway.' }],
      }],
    },
  },
);
