/**
 * Progress of a grid run: a cli-progress bar on a TTY, otherwise one log line per finished run, both
 * with an ETA from the mean wall time of the runs trained so far (skipped runs cost nothing).
 */
import { SingleBar, Presets } from 'cli-progress';

/** What the grid runner reports. */
export type GridEvent =
  | { kind: 'start'; total: number; toRun: number; jobs: number }
  | { kind: 'skip'; id: string }
  | { kind: 'run'; id: string; resumed: boolean }
  | { kind: 'done'; id: string; seconds: number; linearProbeAccuracy: number; auc: number }
  | { kind: 'fail'; id: string; seconds: number; error: string }
  | { kind: 'end'; done: number; skipped: number; failed: number; seconds: number };

/** Receives {@link GridEvent}s. */
export type GridReporter = (event: GridEvent) => void;

/** Seconds left: mean seconds per trained run x runs left / parallel jobs. NaN before the first run ends. */
export function etaSeconds(trainedSeconds: readonly number[], left: number, jobs: number): number {
  if (trainedSeconds.length === 0) return Number.NaN;
  const mean = trainedSeconds.reduce((a, b) => a + b, 0) / trainedSeconds.length;
  return (mean * left) / Math.max(1, jobs);
}

/** `1h02m`, `4m05s`, `12s` or `?`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/**
 * A reporter writing log lines (`[3/12] done data-size--fraction-0.1--s0 in 74s: lin 91.2% AUC 0.712, ETA 9m20s`)
 * through `write`, or driving a cli-progress bar when `tty` is set.
 */
export function createProgressReporter(options: { tty: boolean; write: (line: string) => void }): GridReporter {
  const trained: number[] = [];
  let total = 0;
  let finished = 0;
  let jobs = 1;
  let toRun = 0;
  let bar: SingleBar | undefined;
  const eta = () => formatDuration(etaSeconds(trained, toRun - trained.length, jobs));
  return (event) => {
    switch (event.kind) {
      case 'start':
        total = event.total;
        toRun = event.toRun;
        jobs = event.jobs;
        if (options.tty) {
          bar = new SingleBar({ format: '{bar} {value}/{total} runs | {last} | ETA {etaText}', hideCursor: true }, Presets.shades_classic);
          bar.start(total, 0, { last: `${toRun} to train, ${jobs} jobs`, etaText: '?' });
        } else {
          options.write(`grid: ${total} runs, ${total - toRun} already finished, ${toRun} to train with ${jobs} parallel jobs`);
        }
        return;
      case 'skip':
        finished += 1;
        if (bar) bar.update(finished, { last: `skip ${event.id}` });
        return;
      case 'run':
        if (!bar) options.write(`[${finished + 1}/${total}] ${event.resumed ? 'resume' : 'start'} ${event.id}`);
        return;
      case 'done':
      case 'fail': {
        finished += 1;
        trained.push(event.seconds);
        const what =
          event.kind === 'done'
            ? `done ${event.id} in ${formatDuration(event.seconds)}: lin ${(100 * event.linearProbeAccuracy).toFixed(1)}% AUC ${event.auc.toFixed(3)}`
            : `FAILED ${event.id} after ${formatDuration(event.seconds)}: ${event.error.split('\n')[0]}`;
        if (bar) bar.update(finished, { last: what, etaText: eta() });
        else options.write(`[${finished}/${total}] ${what}, ETA ${eta()}`);
        return;
      }
      case 'end':
        bar?.stop();
        options.write(`grid finished in ${formatDuration(event.seconds)}: ${event.done} trained, ${event.skipped} skipped, ${event.failed} failed`);
        return;
    }
  };
}
