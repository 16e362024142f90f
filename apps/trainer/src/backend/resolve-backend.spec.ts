import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, UnknownBackendError } from './backend-errors.ts';
import { type BackendChoice, resolveBackend } from './resolve-backend.ts';

function nodeBindingLoads(name: string): Promise<boolean> {
  return import(/* @vite-ignore */ name).then(
    () => true,
    () => false,
  );
}

describe('resolveBackend', () => {
  it('auto walks tensorflow-gpu, tensorflow, wasm, cpu and explains every candidate it passed over', async () => {
    const lines: string[] = [];
    const resolved = await resolveBackend('auto', (line) => lines.push(line));
    const order = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
    expect(resolved.attempts.map((a) => a.backend)).toEqual(order.slice(0, order.indexOf(resolved.backend) + 1));
    expect(resolved.attempts.at(-1)).toMatchObject({ backend: resolved.backend, ok: true });
    for (const attempt of resolved.attempts.slice(0, -1)) {
      expect(attempt.ok).toBe(false);
      expect(attempt.reason.length).toBeGreaterThan(0);
    }
    expect(lines.some((l) => l.startsWith('backend: using'))).toBe(true);
    if (!(await nodeBindingLoads('@tensorflow/tfjs-node'))) {
      // The machine this runs on has no libtensorflow binding: wasm must be the one taken, with SIMD on.
      expect(resolved.backend).toBe('wasm');
      expect(tf.getBackend()).toBe('wasm');
      expect(resolved.attempts[2]!.reason).toMatch(/SIMD on; threads off under Node/);
      expect(lines.some((l) => l.includes('passed over tensorflow-gpu'))).toBe(true);
    }
  });

  it('an explicit tensorflow-gpu that does not load fails with a typed error naming it', async () => {
    if (await nodeBindingLoads('@tensorflow/tfjs-node-gpu')) {
      return expect((await resolveBackend('tensorflow-gpu')).backend).toBe('tensorflow-gpu');
    }
    const failure = resolveBackend('tensorflow-gpu');
    await expect(failure).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(failure).rejects.toThrow(/tensorflow-gpu.*@tensorflow\/tfjs-node-gpu/);
  });

  it('explicit cpu and wasm switch the active tfjs backend', async () => {
    expect((await resolveBackend('cpu')).backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await resolveBackend('wasm')).attempts).toHaveLength(1);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects an unknown choice with a typed error naming it', async () => {
    await expect(resolveBackend('webgpu' as BackendChoice)).rejects.toBeInstanceOf(UnknownBackendError);
    await expect(resolveBackend('webgpu' as BackendChoice)).rejects.toThrow(/'webgpu'/);
  });
});
