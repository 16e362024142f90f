#!/usr/bin/env node
// Entry point of the `siamwatch` command. It registers tsx so the TypeScript
// sources run as they are (no build step between `npm ci` and the first run).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
