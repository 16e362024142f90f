/**
 * Counting of fuzz cases: every fuzz spec prints `fuzz-cases <property> <runs>` after its property
 * passed (see `@siamwatch/embedding-io/testing`); `npm run fuzz` sums those lines from the vitest output.
 */

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Cases per passed property, by property name, parsed from vitest output (colour codes ignored). */
export function parseFuzzCases(output: string): Map<string, number> {
  const cases = new Map<string, number>();
  for (const match of output.replace(ANSI, '').matchAll(/^fuzz-cases (\S+) (\d+)$/gm)) {
    const [, name = '', runs = '0'] = match;
    cases.set(name, (cases.get(name) ?? 0) + Number(runs));
  }
  return cases;
}

/** Total cases over all properties. */
export function totalFuzzCases(cases: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const runs of cases.values()) total += runs;
  return total;
}
