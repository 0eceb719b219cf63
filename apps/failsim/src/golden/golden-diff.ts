// The excerpt a failing golden test prints: the first differing line with a few lines of
// context on each side, in unified-diff style (` ` same, `-` golden, `+` now), so the
// change can be read in the test log without a diff tool. Only the first hunk is shown.

/**
 * A unified-ish excerpt around the first difference of `expected` and `actual`, or ''
 * when they are equal. Line numbers are those of the golden file.
 * @example goldenDiff('a\nb\n', 'a\nc\n') // '@@ line 2 @@\n a\n-b\n+c\n…'
 */
export const goldenDiff = (expected: string, actual: string, context = 3, max = 12): string => {
  if (expected === actual) return '';
  const want = expected.split('\n');
  const got = actual.split('\n');
  let first = 0;
  while (first < want.length && first < got.length && want[first] === got[first]) first++;
  // Where the two texts meet again: the nearest pair of offsets after which a few lines
  // agree (or both end), so the excerpt shows the first hunk, not everything after it.
  const agree = (i: number, j: number): boolean => {
    for (let k = 0; k < context; k++) {
      const a = want[i + k];
      const b = got[j + k];
      if (a !== b) return false;
      if (a === undefined) return true;
    }
    return true;
  };
  let [endWant, endGot] = [want.length, got.length];
  search: for (let d = 1; d <= want.length - first + got.length - first; d++) {
    for (let i = 0; i <= d; i++) {
      if (first + i > want.length || first + d - i > got.length) continue;
      if (agree(first + i, first + d - i)) {
        [endWant, endGot] = [first + i, first + d - i];
        break search;
      }
    }
  }
  const from = Math.max(0, first - context);
  const removed = want.slice(first, endWant);
  const added = got.slice(first, endGot);
  const cut = (lines: string[], sign: string): string[] =>
    lines.length > max ? [...lines.slice(0, max).map((l) => `${sign}${l}`), `${sign}… (${lines.length - max} more lines)`] : lines.map((l) => `${sign}${l}`);
  return [
    `@@ line ${first + 1} @@`,
    ...want.slice(from, first).map((l) => ` ${l}`),
    ...cut(removed, '-'),
    ...cut(added, '+'),
    ...want.slice(endWant, Math.min(want.length, endWant + context)).map((l) => ` ${l}`),
  ].join('\n');
};
