import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/libs/telemetry',
  test: {
    name: '@siamwatch/telemetry',
    watch: false,
    globals: false,
    environment: 'node',
    include: ['src/**/*.spec.ts'],
    testTimeout: 60_000,
    reporters: ['default'],
  },
});
