/**
 * A parser for the subset of Python literals that `.npy` headers use
 * (`{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`): dicts with
 * string keys, tuples, lists, quoted strings, integers (Python 2's `3L` too),
 * `True`, `False` and `None`. Anything else is a syntax error.
 */

/** A parsed Python literal: dicts become plain objects, tuples and lists arrays. */
export type PythonLiteral = string | number | boolean | null | PythonLiteral[] | { [key: string]: PythonLiteral };

/** Deepest nesting of containers accepted (a `.npy` header nests two levels); deeper input is a syntax error, not a stack overflow. */
export const MAX_LITERAL_DEPTH = 32;

/** Thrown by {@link parsePythonLiteral} with the offending position. */
export class PythonLiteralSyntaxError extends Error {
  override readonly name = 'PythonLiteralSyntaxError';
}

const WORD = /(True|False|None)\b/y;
const NUMBER = /-?\d+L?/y;

/**
 * Parses `text` as one Python literal (trailing whitespace allowed, trailing
 * commas inside containers allowed, as numpy writes them).
 */
export function parsePythonLiteral(text: string): PythonLiteral {
  let pos = 0;
  let depth = 0;

  const fail = (what: string): never => {
    const near = text.slice(pos, pos + 20);
    throw new PythonLiteralSyntaxError(`${what} at offset ${pos} (near '${near}')`);
  };
  const skipSpace = (): void => {
    while (pos < text.length && /\s/.test(text[pos] ?? '')) pos += 1;
  };
  const expect = (ch: string): void => {
    skipSpace();
    if (text[pos] !== ch) fail(`expected '${ch}'`);
    pos += 1;
  };

  const parseString = (): string => {
    const quote = text[pos];
    pos += 1;
    let out = '';
    while (pos < text.length && text[pos] !== quote) {
      const ch = text[pos] ?? '';
      if (ch === '\\') {
        pos += 1;
        const escaped = text[pos] ?? '';
        out += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
      } else {
        out += ch;
      }
      pos += 1;
    }
    if (pos >= text.length) fail('unterminated string');
    pos += 1;
    return out;
  };

  const parseSequence = (close: string): PythonLiteral[] => {
    const items: PythonLiteral[] = [];
    for (;;) {
      skipSpace();
      if (text[pos] === close) {
        pos += 1;
        return items;
      }
      items.push(parseValue());
      skipSpace();
      if (text[pos] === ',') pos += 1;
      else if (text[pos] !== close) fail(`expected ',' or '${close}'`);
    }
  };

  const parseDict = (): { [key: string]: PythonLiteral } => {
    // No prototype: a '__proto__' key is an ordinary key, not a way to graft fields onto the dict.
    const dict: { [key: string]: PythonLiteral } = Object.create(null) as { [key: string]: PythonLiteral };
    for (;;) {
      skipSpace();
      if (text[pos] === '}') {
        pos += 1;
        return dict;
      }
      const key = parseValue();
      if (typeof key !== 'string') fail('dict keys must be strings');
      expect(':');
      dict[key as string] = parseValue();
      skipSpace();
      if (text[pos] === ',') pos += 1;
      else if (text[pos] !== '}') fail("expected ',' or '}'");
    }
  };

  function parseValue(): PythonLiteral {
    skipSpace();
    const ch = text[pos];
    if (ch === undefined) return fail('unexpected end of text');
    if (ch === "'" || ch === '"') return parseString();
    if (ch === '{' || ch === '(' || ch === '[') {
      if (depth >= MAX_LITERAL_DEPTH) fail(`nesting deeper than ${MAX_LITERAL_DEPTH}`);
      pos += 1;
      depth += 1;
      const value = ch === '{' ? parseDict() : parseSequence(ch === '(' ? ')' : ']');
      depth -= 1;
      return value;
    }
    WORD.lastIndex = pos;
    const word = WORD.exec(text);
    if (word) {
      pos += word[0].length;
      return word[0] === 'True' ? true : word[0] === 'False' ? false : null;
    }
    NUMBER.lastIndex = pos;
    const num = NUMBER.exec(text);
    if (num) {
      pos += num[0].length;
      return Number(num[0].replace('L', ''));
    }
    return fail('unexpected character');
  }

  const value = parseValue();
  skipSpace();
  if (pos !== text.length) fail('unexpected trailing text');
  return value;
}
