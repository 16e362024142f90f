/**
 * The ingest token of `siamwatch serve`: read from a file (`--token-file`) or an environment variable
 * (`SIAMWATCH_TOKEN`, read by the command, never by a library), compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { IngestError, ServeConfigError } from './serve-errors.ts';

/** Environment variable holding the token when no `--token-file` is given. */
export const TOKEN_ENV = 'SIAMWATCH_TOKEN';

/** Shortest token accepted (bytes), so a typo like an empty file is not a token. */
export const MIN_TOKEN_LENGTH = 16;

/** The token from `tokenFile` (trimmed), else from `envValue`; undefined when neither is set. */
export function resolveToken(tokenFile: string | undefined, envValue: string | undefined): string | undefined {
  let token: string | undefined;
  if (tokenFile !== undefined) {
    try {
      token = readFileSync(tokenFile, 'utf8').trim();
    } catch (error) {
      throw new ServeConfigError(`--token-file ${tokenFile} cannot be read: ${(error as Error).message}`);
    }
  } else if (envValue !== undefined && envValue.trim() !== '') {
    token = envValue.trim();
  }
  if (token !== undefined && (token.length < MIN_TOKEN_LENGTH || /\s/.test(token))) {
    throw new ServeConfigError(`the token must be at least ${MIN_TOKEN_LENGTH} characters without spaces, got ${token.length} characters`);
  }
  return token;
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Refuses (ServeConfigError) to listen on a non-loopback `host` without a token. */
export function checkExposure(host: string, token: string | undefined): void {
  if (token === undefined && !isLoopback(host)) {
    throw new ServeConfigError(`refusing to listen on ${host} without a token: pass --token-file FILE or set ${TOKEN_ENV}`);
  }
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * Checks an `Authorization` header against `token` (constant time); throws IngestError `unauthorized` (401)
 * for a missing, malformed or wrong token. With no token configured (loopback only) everything passes.
 */
export function authorize(header: string | undefined, token: string | undefined): void {
  if (token === undefined) return;
  if (header === undefined) throw new IngestError('unauthorized', 'missing Authorization header: send "Authorization: Bearer <token>"');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new IngestError('unauthorized', 'Authorization header is not "Bearer <token>"');
  if (!timingSafeEqual(digest(match[1] ?? ''), digest(token))) throw new IngestError('unauthorized', 'wrong bearer token');
}
