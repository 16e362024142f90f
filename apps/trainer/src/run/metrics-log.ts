import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { writeFileAtomicSync } from '@siamwatch/embedding-io';

/** One line of `metrics.jsonl`: a training step or an evaluation; every record carries its `step`. */
export type MetricsRecord = { step: number; [key: string]: unknown };

/**
 * Append-only JSON-lines log (`metrics.jsonl`). Each record is written as one line with a
 * single write and flushed (fsync), so a crash loses at most the line being written.
 */
export class MetricsLog {
  private fd: number | undefined;

  constructor(readonly path: string) {}

  /** Appends one record as a JSON line and flushes it to disk. */
  append(record: MetricsRecord): void {
    this.fd ??= openSync(this.path, 'a');
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    fsyncSync(this.fd);
  }

  /**
   * Drops every line whose `step` is past `step` (and any torn last line), atomically, so that
   * a resumed run appends exactly the lines an uninterrupted run would have written.
   * Returns the number of lines dropped.
   */
  truncateAfter(step: number): number {
    this.close();
    if (!existsSync(this.path)) return 0;
    const text = readFileSync(this.path, 'utf8');
    const lines = text.split('\n');
    const kept: string[] = [];
    let dropped = 0;
    for (const line of lines) {
      if (line.trim() === '') continue;
      let record: MetricsRecord | undefined;
      try {
        record = JSON.parse(line) as MetricsRecord;
      } catch {
        record = undefined;
      }
      if (record && typeof record.step === 'number' && record.step <= step) kept.push(line);
      else dropped++;
    }
    writeFileAtomicSync(this.path, kept.map((line) => `${line}\n`).join(''));
    return dropped;
  }

  /** Closes the file (appends reopen it). */
  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }
}

/** Reads `metrics.jsonl` into records (skipping blank lines). */
export function readMetrics(path: string): MetricsRecord[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as MetricsRecord);
}
