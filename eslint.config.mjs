// Lint for Factory's own code (npm run lint). Type-aware rules are left out on purpose: they
// would need a TypeScript program per package and triple the time of `npm test` for rules
// that `tsc --strict` (npm run typecheck) already covers in the main.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'coverage/**', 'examples/**', 'corpus/**', '**/__fixtures__/**', '.factory/**', '.nx/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        performance: 'readonly',
        queueMicrotask: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Headers: 'readonly',
        AbortSignal: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // A FactoryError thrown by another bundle's copy of core fails `instanceof` (00db00d); the
    // mark that isFactoryError reads does not.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', 'packages/core/src/domain/errors.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "BinaryExpression[operator='instanceof'][right.name='FactoryError']",
          message: "Use isFactoryError(e): an error from another bundle's copy of core is not an instance of this FactoryError.",
        },
      ],
    },
  },
  {
    // CommonJS entry points (the `factory` bin): require is how they load.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
