/**
 * `siamwatch watch DIR`: monitoring without a network. Polls `DIR/<run>/` for drop files (see
 * drop-file-name.ts), feeds them in step order to the same {@link RunHub} as `siamwatch serve`, deletes each
 * file once read (a refused one is renamed `<name>.rejected` with the reason in `<name>.rejected.txt`), and
 * writes `DIR/<run>/decision.json` atomically after every check.
 */
import { readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@siamwatch/embedding-io';
import type { TelemetryLogger } from '@siamwatch/telemetry';
import { checkRunName } from '../serve/ingest-query.ts';
import type { RunDecision } from '../serve/run-decision.ts';
import type { RunHub } from '../serve/run-hub.ts';
import { IngestError } from '../serve/serve-errors.ts';
import { parseDropFileName, type DropFile } from './drop-file-name.ts';

/** Name of the decision file in each run folder. */
export const DECISION_FILE = 'decision.json';

/** Options of {@link FolderWatcher}. */
export interface FolderWatcherOptions {
  dir: string;
  hub: RunHub;
  maxBodyBytes: number;
  logger: TelemetryLogger;
}

/** Scans run folders and writes decisions; see the module comment. */
export class FolderWatcher {
  private readonly writes = new Map<string, Promise<void>>();
  /** Files accepted since the watcher started. */
  accepted = 0;
  /** Files refused since the watcher started. */
  rejected = 0;

  constructor(private readonly options: FolderWatcherOptions) {}

  /** The hub's `onDecision`: writes `DIR/<run>/decision.json` atomically (writes of one run in order). */
  writeDecision(decision: RunDecision): void {
    const path = join(this.options.dir, decision.run, DECISION_FILE);
    const bytes = Buffer.from(`${JSON.stringify(decision, null, 2)}\n`);
    const previous = this.writes.get(decision.run) ?? Promise.resolve();
    const next = previous.then(() => writeFileAtomic(path, [bytes])).catch((error: unknown) => {
      this.options.logger.error({ run: decision.run, error: String(error) }, `cannot write ${path}`);
    });
    this.writes.set(decision.run, next);
  }

  /** Waits for pending decision writes. */
  async flush(): Promise<void> {
    await Promise.all(this.writes.values());
  }

  /** One pass over every run folder: ingests the drop files present, in step then rank order. */
  async scan(): Promise<void> {
    const entries = await readdir(this.options.dir, { withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      let run: string;
      try {
        run = checkRunName(entry.name);
      } catch {
        continue;
      }
      await this.scanRun(run);
    }
  }

  private async scanRun(run: string): Promise<void> {
    const folder = join(this.options.dir, run);
    const drops: DropFile[] = [];
    for (const name of await readdir(folder)) {
      try {
        const drop = parseDropFileName(name);
        if (drop !== undefined) drops.push(drop);
      } catch (error) {
        await this.refuse(folder, name, error);
      }
    }
    drops.sort((a, b) => a.params.step - b.params.step || a.params.rank - b.params.rank);
    for (const drop of drops) await this.ingest(run, folder, drop);
  }

  private async ingest(run: string, folder: string, drop: DropFile): Promise<void> {
    const path = join(folder, drop.name);
    try {
      const { size } = await stat(path);
      if (size > this.options.maxBodyBytes) throw new IngestError('too-large', `${drop.name} has ${size} bytes, over the limit of ${this.options.maxBodyBytes}`);
      await this.options.hub.ingest(run, drop.params, await readFile(path), drop.contentType);
      await unlink(path);
      this.accepted += 1;
    } catch (error) {
      await this.refuse(folder, drop.name, error);
    }
  }

  private async refuse(folder: string, name: string, error: unknown): Promise<void> {
    this.rejected += 1;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.options.logger.warn({ file: join(folder, name), error: message }, `refused ${name}: ${message}`);
    try {
      await rename(join(folder, name), join(folder, `${name}.rejected`));
      await writeFile(join(folder, `${name}.rejected.txt`), `${message}\n`);
    } catch {
      // The file vanished meanwhile; nothing left to mark.
    }
  }
}
