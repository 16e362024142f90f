import { describe, expect, it } from 'vitest';
import type { MatrixSource } from '@siamwatch/embedding-io';
import { PROGRESS_MIN_BYTES, startRowProgress, wantsProgress } from './analyze-progress.ts';

function source(n: number, d: number, storedDtype: MatrixSource['storedDtype'] = 'float32'): MatrixSource {
  return {
    kind: 'matrix',
    path: 'big.npy',
    format: 'npy',
    n,
    d,
    dtype: storedDtype === 'float64' ? 'float64' : 'float32',
    storedDtype,
    chunks: async function* () {
      yield* [];
    },
  };
}

function terminal(isTTY: boolean): { isTTY: boolean; written: string; write(chunk: string): boolean } {
  return {
    isTTY,
    written: '',
    write(chunk: string) {
      this.written += chunk;
      return true;
    },
  };
}

describe('analyze progress', () => {
  it('shows a bar only on a terminal and for large files', () => {
    const large = source(PROGRESS_MIN_BYTES / 4 / 64, 64);
    expect(wantsProgress(large, terminal(true))).toBe(true);
    expect(wantsProgress(large, terminal(false))).toBe(false);
    expect(wantsProgress(source(1000, 64), terminal(true))).toBe(false);
    expect(wantsProgress(source(PROGRESS_MIN_BYTES / 8 / 64, 64, 'float64'), terminal(true))).toBe(true);
  });

  it('draws rows read and total on the stream, and nothing when not wanted', () => {
    const tty = terminal(true);
    const progress = startRowProgress(source(1000, 8), tty, 1);
    progress.update(500);
    progress.stop();
    expect(tty.written).toContain('big.npy');
    expect(tty.written).toMatch(/\/1000 rows/);
    const pipe = terminal(false);
    const silent = startRowProgress(source(1000, 8), pipe, 1);
    silent.update(500);
    silent.stop();
    expect(pipe.written).toBe('');
  });
});
