/**
 * Registers `siamwatch serve`: a sidecar any trainer (PyTorch, JAX, DDP) posts embedding samples to; one live
 * collapse monitor per run, decisions to obey, `/metrics` and a live page per run. Binds 127.0.0.1 unless
 * `--host` says otherwise, and then only with a token. See docs/serve.md.
 */
import { Option, type Command } from 'commander';
import { TOKEN_ENV, resolveToken } from './bearer-token.ts';
import { SERVE_DEFAULTS, parsePort, parseServeLimits } from './serve-options.ts';

/** Limit flags shared by `serve` and `watch`. */
export function addLimitOptions(command: Command): Command {
  return command
    .option('--max-body-mb <mb>', `largest request body or dropped file (default ${SERVE_DEFAULTS.maxBodyMb})`)
    .option('--max-step-mb <mb>', `bytes all ranks may send for one step of one run (default ${SERVE_DEFAULTS.maxStepMb})`)
    .option('--max-dim <d>', `largest embedding dimension (default ${SERVE_DEFAULTS.maxDim})`)
    .option('--max-runs <n>', `runs watched at once (default ${SERVE_DEFAULTS.maxRuns})`)
    .option('--run-ttl <s>', `forget a run after this many seconds without posts (default ${SERVE_DEFAULTS.runTtlSeconds})`)
    .option('--step-timeout <s>', `check a step no rank posted to for this long (default ${SERVE_DEFAULTS.stepTimeoutSeconds})`);
}

/** Adds the `serve` subcommand to `program`. */
export function registerServeCommand(program: Command): void {
  addLimitOptions(
    program
      .command('serve')
      .description('Monitor any trainer over HTTP: ranks post embedding samples, the trainer obeys GET /v1/runs/<run>/decision')
      .option('--port <port>', `port (default ${SERVE_DEFAULTS.port}; 0 = any free port)`)
      .addOption(new Option('--host <host>', 'interface to bind (a non-loopback host needs a token)').default(SERVE_DEFAULTS.host))
      .option('--token-file <file>', `file holding the bearer token ingest requires (else $${TOKEN_ENV})`),
  ).action(async (raw: Record<string, unknown>) => {
    const { startServe, stderrLogger } = await import('./start-serve.ts');
    const logger = stderrLogger();
    const token = resolveToken(raw['tokenFile'] as string | undefined, process.env[TOKEN_ENV]);
    const host = String(raw['host']);
    if (token === undefined) logger.warn({ host }, `no token (--token-file or ${TOKEN_ENV}): any local process may post`);
    const serve = await startServe({ ...parseServeLimits(raw), host, port: parsePort(raw['port']), token, env: process.env, logger });
    process.stdout.write(`siamwatch serve listening on ${serve.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void serve.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  });
}
