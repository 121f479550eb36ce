// ESLint flat config: typescript-eslint with type information (for no-floating-promises)
// and the layering rule of docs/ARCHITECTURE.md, enforced with no-restricted-imports.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const SUBSYSTEMS = ['labeling', 'validation', 'tuning', 'training', 'serving', 'inference'];
const UPPER = ['monitoring', 'pipelines'];
const EDGES = ['http', 'cli'];

/** Patterns that forbid importing the given top-level folders of src/ by relative path. */
function forbid(folders, why) {
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: folders.map((f) => ({
          regex: `^(\\.\\./)+${f}(/|$)`,
          message: `${why} (see docs/ARCHITECTURE.md, "Layers").`,
        })),
      },
    ],
  };
}

const layering = [
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: forbid([...SUBSYSTEMS, ...UPPER, ...EDGES, 'testing'], 'core imports nothing above it'),
  },
  ...SUBSYSTEMS.map((s) => ({
    files: [`src/${s}/**/*.ts`],
    ignores: ['src/**/*.test.ts'],
    rules: forbid(
      [...SUBSYSTEMS.filter((o) => o !== s), ...UPPER, ...EDGES, 'testing'],
      `src/${s} may import only core; move what siblings share into core`,
    ),
  })),
  ...UPPER.map((s) => ({
    files: [`src/${s}/**/*.ts`],
    ignores: ['src/**/*.test.ts'],
    rules: forbid([...EDGES, 'testing'], `src/${s} must not import cli or http`),
  })),
  {
    files: ['src/http/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: forbid(['cli'], 'http must not import cli'),
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'web/**',
      '.mortar/**',
      'bin/**',
      // AssemblyScript kernels: compiled by asc, not tsc (see src/core/tensor/README.md).
      'src/core/tensor/kernels/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: globals.node } },
  ...layering,
);
