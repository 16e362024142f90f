import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../node_modules/.vite/infra',
  test: {
    name: '@siamwatch/infra',
    watch: false,
    globals: false,
    environment: 'node',
    include: ['src/**/*.spec.ts'],
    testTimeout: 60_000,
    reporters: ['default'],
  },
});
