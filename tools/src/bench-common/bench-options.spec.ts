import { describe, expect, it } from 'vitest';
import { BenchOptionError, positiveIntegerOption, quantile } from './bench-options.ts';

describe('bench options', () => {
  it('parses positive integers and names the flag and value otherwise', () => {
    expect(positiveIntegerOption('steps', '600')).toBe(600);
    expect(() => positiveIntegerOption('steps', '0')).toThrow(BenchOptionError);
    expect(() => positiveIntegerOption('block', '2.5')).toThrow('--block must be a positive integer, got "2.5"');
  });

  it('takes nearest-rank quantiles', () => {
    const xs = [5, 1, 4, 2, 3];
    expect(quantile(xs, 0.5)).toBe(3);
    expect(quantile(xs, 0.99)).toBe(5);
    expect(quantile(xs, 0)).toBe(1);
    expect(() => quantile([], 0.5)).toThrow(BenchOptionError);
  });
});
