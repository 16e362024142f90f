/**
 * Entry point of `npm run native:install` (see native-install.ts). Exit 0 when `@tensorflow/tfjs-node` (or
 * `-gpu`) loads with the built binding; exit 1 with the error's name and message otherwise; exit 2 on bad flags.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { NativeInstallError, NativeOptionError } from './native-errors.ts';
import { installNative } from './native-install.ts';
import { parseNativeOptions } from './native-options.ts';

const trainerDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const workspaceRoot = join(trainerDir, '..', '..');
const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

try {
  const options = parseNativeOptions(process.argv.slice(2), process.env);
  const started = Date.now();
  const result = await installNative({ ...options, workspaceRoot, trainerDir, log });
  log(`native: done in ${((Date.now() - started) / 1000).toFixed(0)} s; \`--backend ${options.gpu ? 'tensorflow-gpu' : 'tensorflow'}\` (and auto) now use ${result.package}`);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  if (error instanceof NativeInstallError) {
    process.stderr.write(`native:install: ${error.name}: ${error.message}\n`);
    process.exit(error instanceof NativeOptionError ? 2 : 1);
  }
  throw error;
}
