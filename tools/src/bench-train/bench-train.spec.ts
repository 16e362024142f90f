import { describe, expect, it } from 'vitest';
import { BenchOptionError, DEFAULT_BENCH_OPTIONS, validateBenchOptions } from './bench-options.ts';
import { interpreterOf, probeTorch } from './find-torch-python.ts';
import { memoryLine, throughputLine } from './format-summary.ts';
import { parseTorchOutput, TorchBenchError, torchArgs } from './run-torch-bench.ts';

describe('bench:train pieces', () => {
  it('prints the fixed last line, with n/a when PyTorch was not measured', () => {
    expect(throughputLine(40.04, 250)).toBe('train throughput: siamwatch 40.0 img/s, pytorch 250.0 img/s, ratio 0.160');
    expect(throughputLine(12.34, null)).toBe('train throughput: siamwatch 12.3 img/s, pytorch n/a img/s, ratio n/a');
  });

  it('flags growing tensor counts in the memory line', () => {
    expect(memoryLine({ tensorsBefore: 58, tensorsAfter: 58, rssBeforeMb: 900.2, rssAfterMb: 901 })).toContain('58 -> 58 (flat)');
    expect(memoryLine({ tensorsBefore: 58, tensorsAfter: 70, rssBeforeMb: 1, rssAfterMb: 2 })).toContain('GROWING');
  });

  it('parses the JSON line of the PyTorch script and rejects output without one', () => {
    const out = 'noise\n{"torch": "2.14.1+cpu", "threads": 2, "params": 372576, "steps": 6, "secondsPerStep": 0.5, "imagesPerSecond": 256, "loss": -0.1}\n';
    expect(parseTorchOutput(out)).toMatchObject({ torch: '2.14.1+cpu', imagesPerSecond: 256, params: 372576 });
    expect(() => parseTorchOutput('Traceback ...')).toThrow(TorchBenchError);
    expect(() => parseTorchOutput('{"threads": 2}')).toThrow(/incomplete/);
  });

  it('passes the network options to the PyTorch script', () => {
    const args = torchArgs({ ...DEFAULT_BENCH_OPTIONS, width: 1, depth: 2 });
    expect(args[0]).toMatch(/tools\/python\/bench_train_torch\.py$/);
    expect(args).toContain('--width=1');
    expect(args).toContain('--depth=2');
    expect(args).toContain('--batch=128');
  });

  it('resolves a venv directory to its interpreter and reports a missing interpreter', () => {
    expect(interpreterOf('/tmp')).toBe('/tmp/bin/python');
    expect(interpreterOf('/usr/bin/python3')).toBe('/usr/bin/python3');
    const missing = probeTorch('/nonexistent/python-for-siamwatch');
    expect(missing.version).toBeNull();
    expect(missing.reason).toMatch(/ENOENT/);
  });

  it('rejects bad options with a typed error naming the value', () => {
    expect(() => validateBenchOptions({ ...DEFAULT_BENCH_OPTIONS, batch: 0 })).toThrow(BenchOptionError);
    expect(() => validateBenchOptions({ ...DEFAULT_BENCH_OPTIONS, steps: 1.5 })).toThrow(/--steps 1.5/);
    expect(validateBenchOptions(DEFAULT_BENCH_OPTIONS)).toEqual(DEFAULT_BENCH_OPTIONS);
  });
});
