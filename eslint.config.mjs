import nx from '@nx/eslint-plugin';

/**
 * Workspace lint config. The module-boundary rule is the enforcement of the
 * dependency direction in CONTRIBUTING.md: collapse-metrics and embedding-io depend
 * on nothing internal, monitor only on collapse-metrics, telemetry on no internal
 * lib, apps on libs, no lib on an app; no TensorFlow, OpenTelemetry or prom-client
 * in the math libraries.
 */
const frameworkBans = ['@tensorflow/*', '@opentelemetry/*', 'prom-client', 'pino'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/out-tsc', '**/node_modules', '**/*.timestamp*', 'dashboards/*.json'] },
  {
    files: ['**/*.ts', '**/*.mts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:metrics', onlyDependOnLibsWithTags: [], bannedExternalImports: frameworkBans },
            { sourceTag: 'scope:io', onlyDependOnLibsWithTags: [], bannedExternalImports: frameworkBans },
            { sourceTag: 'scope:monitor', onlyDependOnLibsWithTags: ['scope:metrics'], bannedExternalImports: frameworkBans },
            { sourceTag: 'scope:telemetry', onlyDependOnLibsWithTags: [], bannedExternalImports: ['@tensorflow/*'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'], bannedExternalImports: ['@opentelemetry/*', 'prom-client'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:app'] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['scope:telemetry'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
