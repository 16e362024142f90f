import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // Tests index into results they have just asserted exist.
    files: ['src/**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
