import { describe, expect, it } from 'vitest';
import { MAX_LITERAL_DEPTH, parsePythonLiteral, PythonLiteralSyntaxError } from './python-literal.ts';

describe('parsePythonLiteral', () => {
  it('parses the dict numpy writes into .npy headers', () => {
    expect(parsePythonLiteral("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }  ")).toEqual({
      descr: '<f4',
      fortran_order: false,
      shape: [3, 4],
    });
  });

  it('parses nested tuples, lists, double quotes, escapes, None and Python 2 longs', () => {
    expect(parsePythonLiteral('{"a": [(1L, -2), None, True], \'b\\\'c\': "x\\ny"}')).toEqual({
      a: [[1, -2], null, true],
      "b'c": 'x\ny',
    });
    expect(parsePythonLiteral('(5,)')).toEqual([5]);
    expect(parsePythonLiteral('()')).toEqual([]);
  });

  it.each([
    ["{'descr': '<f4'", "expected ',' or '}'"],
    ["{'a': 1} x", 'unexpected trailing text'],
    ["{'a': 'open", 'unterminated string'],
    ['{1: 2}', 'dict keys must be strings'],
    ["{'a': 1.5}", "expected ',' or '}'"],
    ["{'a': float32}", 'unexpected character'],
    ['', 'unexpected end of text'],
  ])('rejects %j with a positioned message', (text, message) => {
    expect(() => parsePythonLiteral(text)).toThrow(PythonLiteralSyntaxError);
    expect(() => parsePythonLiteral(text)).toThrow(message);
  });

  it('refuses nesting deeper than MAX_LITERAL_DEPTH with a syntax error, not a stack overflow (found by fuzzing)', () => {
    const deep = `${'('.repeat(200_000)}${')'.repeat(200_000)}`;
    expect(() => parsePythonLiteral(deep)).toThrow(PythonLiteralSyntaxError);
    expect(() => parsePythonLiteral(deep)).toThrow(`nesting deeper than ${MAX_LITERAL_DEPTH}`);
    const ok = `${'['.repeat(MAX_LITERAL_DEPTH)}${']'.repeat(MAX_LITERAL_DEPTH)}`;
    expect(() => parsePythonLiteral(ok)).not.toThrow();
  });

  it("keeps a '__proto__' key as an own key instead of replacing the dict's prototype", () => {
    const dict = parsePythonLiteral("{'__proto__': {'descr': '<f4'}}") as Record<string, unknown>;
    expect(Object.hasOwn(dict, '__proto__')).toBe(true);
    expect(Object.hasOwn(dict, 'descr')).toBe(false);
    expect('descr' in dict).toBe(false);
  });
});
