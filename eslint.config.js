// ESLint for the whole tree: typescript-eslint's type-checked rules on the TypeScript (one program,
// the root tsconfig.json), the plain recommended ones on the JavaScript, and the few habits of
// /work/shared/STYLE.md that a rule can hold. Formatting is Prettier's (`prettier --check .`):
// eslint-config-prettier, last, turns off every rule that would disagree with it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    'dist/',
    'docs/api/',
    'coverage/',
    'test-output/',
    'bench/results/',
    // Its own npm project, with its own tooling.
    'examples/angular/',
    'examples/react-chat/',
    'examples/browser/dist/',
  ]),

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `#private` fields and methods, not TypeScript's `private` keyword (which is gone at run time),
      // and fields declared in the class body rather than as constructor parameters. A symbol-keyed
      // member (`private readonly [brand] = true`) stays: it is meant to be a real property.
      'no-restricted-syntax': [
        'error',
        {
          selector:
            ':matches(PropertyDefinition, MethodDefinition[kind!="constructor"])[accessibility="private"][computed=false]',
          message: "Use a `#private` member instead of TypeScript's `private` keyword.",
        },
        {
          selector: 'TSParameterProperty',
          message: 'Declare the field in the class body (`#name`, for a private one) and assign it in the constructor.',
        },
      ],
      // A module-level constant is named like any other binding: camelCase (`const pieceLength = 8`),
      // or PascalCase for a value that reads as a type, such as a zod schema (`const Trip = z.object(…)`).
      '@typescript-eslint/naming-convention': [
        'error',
        {
          selector: 'variable',
          modifiers: ['const', 'global'],
          format: ['camelCase', 'StrictPascalCase'],
          leadingUnderscore: 'allow',
        },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // An `async` method that implements a Promise-returning interface reads better than one that
      // returns `Promise.resolve(…)`; and a test's async tool is async on purpose.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests handle `any` by design (vitest's asymmetric matchers, `JSON.parse` of a request body),
    // stringify objects to prove what a user would see, and reject as `fetch` does (`signal.reason`).
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { parserOptions: { project: false } },
  },
  {
    files: ['examples/browser/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },

  prettier,
);
