import { describe, expect, it } from 'vitest';
import { AnalyzeError } from './analyze-error.ts';
import { parseAnalyzeOptions } from './analyze-options.ts';

describe('parseAnalyzeOptions', () => {
  it('defaults switches to false and leaves optional flags out', () => {
    expect(parseAnalyzeOptions({})).toEqual({ json: false, normalize: false });
  });

  it('converts --chunk-rows and keeps --plot and --tensor', () => {
    expect(parseAnalyzeOptions({ json: true, normalize: true, chunkRows: '4096', plot: 'out/s.html', tensor: 'emb' })).toEqual({
      json: true,
      normalize: true,
      chunkRows: 4096,
      plot: 'out/s.html',
      tensor: 'emb',
    });
  });

  it.each([
    [{ chunkRows: '0' }, "--chunk-rows '0' must be a positive integer"],
    [{ chunkRows: '-5' }, "--chunk-rows '-5' must be a positive integer"],
    [{ chunkRows: '2.5' }, "--chunk-rows '2.5' must be a positive integer"],
    [{ chunkRows: 'many' }, "--chunk-rows 'many' must be a positive integer"],
    [{ chunkRows: '99999999999999999999' }, "--chunk-rows '99999999999999999999' must be a positive integer"],
    [{ plot: 'spectra.png' }, "--plot 'spectra.png' must end in .html"],
    [{ tensor: '' }, "--tensor '' must name a tensor"],
  ])('rejects %j naming the flag and the value', (raw, message) => {
    let caught: unknown;
    try {
      parseAnalyzeOptions(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AnalyzeError);
    expect((caught as AnalyzeError).name).toBe('AnalyzeError');
    expect((caught as AnalyzeError).code).toBe('bad-option');
    expect((caught as Error).message).toBe(message);
  });
});
