// ESLint flat config for every project. Besides code rules it enforces DESIGN.md's
// dependency direction: core ← controllers ← vsphere/bosh ← scenarios ← app.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layers } from './tools/layers.js';

/** One no-restricted-imports block per layer: what a layer may not import. */
const boundaryRules = layers.map((layer) => ({
  files: [`${layer.root}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...(layer.forbidden.length > 0
            ? [
                {
                  group: layer.forbidden,
                  message: `${layer.name} must not depend on this package (DESIGN.md: core ← controllers ← vsphere/bosh ← scenarios ← app).`,
                },
              ]
            : []),
          {
            regex: '^@failsim/[^/]+/.+',
            message: 'Import a @failsim package by its name only: its index is its public API.',
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.config.js', 'tools/**', 'apps/failsim/bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...boundaryRules,
);
