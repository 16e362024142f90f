/**
 * Progress of `siamwatch analyze` on large matrix files: a cli-progress bar on
 * stderr, shown only when stderr is a terminal and the file is large enough
 * to take a noticeable time (stdout stays clean for `--json` pipes).
 */
import cliProgress from 'cli-progress';
import type { MatrixSource } from '@siamwatch/embedding-io';

/** Files at least this large (bytes of row data) get a progress bar: 64 MiB. */
export const PROGRESS_MIN_BYTES = 64 * 1024 * 1024;

/** Reports rows read; `stop()` clears the bar. */
export interface RowProgress {
  update(rowsDone: number): void;
  stop(): void;
}

/** Where the bar goes and whether it is a terminal (injectable for tests). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(chunk: string): boolean;
}

/** Whether a bar is shown for `source` on `stream`: a TTY and at least {@link PROGRESS_MIN_BYTES}. */
export function wantsProgress(source: MatrixSource, stream: ProgressStream, minBytes = PROGRESS_MIN_BYTES): boolean {
  const bytes = source.n * source.d * (source.storedDtype === 'float64' ? 8 : source.storedDtype === 'float32' ? 4 : 2);
  return stream.isTTY === true && bytes >= minBytes;
}

/**
 * Starts a bar `file [=====     ] 45% | 450000/1000000 rows | ETA 3s` on
 * `stream` when {@link wantsProgress} holds, else returns a no-op reporter.
 */
export function startRowProgress(source: MatrixSource, stream: ProgressStream, minBytes = PROGRESS_MIN_BYTES): RowProgress {
  if (!wantsProgress(source, stream, minBytes)) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WritableStream,
      format: `${source.path} [{bar}] {percentage}% | {value}/{total} rows | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(source.n, 0);
  return {
    update: (rowsDone) => bar.update(rowsDone),
    stop: () => bar.stop(),
  };
}
