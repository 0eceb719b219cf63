// Outputs printed in pieces. V8 caps a string at 2^29 − 24 characters (~537 M), and a
// 5,000-node zone failure's transcript is ~400 M characters and its JSON more: joined
// into one string they would be near or past the cap, and held twice over while written.
// `failsim run` writes these pieces one after the other; joined, they are the output.

/** Lines at most per piece. */
const LINES_PER_CHUNK = 10_000;
/** Array items at most per piece of JSON. */
const ITEMS_PER_CHUNK = 1_000;

/**
 * `lines.join('\n')` in pieces of up to LINES_PER_CHUNK lines.
 * @example [...inChunks(['a', 'b', ''])].join('') // 'a\nb\n'
 */
export function* inChunks(lines: readonly string[], perChunk = LINES_PER_CHUNK): Generator<string> {
  for (let at = 0; at < lines.length; at += perChunk) {
    const last = at + perChunk >= lines.length;
    yield lines.slice(at, at + perChunk).join('\n') + (last ? '' : '\n');
  }
}

/** `JSON.stringify(value, null, 2)` of a member `depth` levels in: its lines indented as its place there. */
const nested = (value: unknown, depth: number): string => JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);

/**
 * `JSON.stringify(record, null, 2)` in pieces, for a record of plain JSON values whose
 * arrays may be long (a run's Events and transitions): each array's items go out
 * ITEMS_PER_CHUNK at a time.
 * @example [...jsonChunks({ a: 1, b: [{ c: 2 }] })].join('') === JSON.stringify({ a: 1, b: [{ c: 2 }] }, null, 2)
 */
export function* jsonChunks(of: object, perChunk = ITEMS_PER_CHUNK): Generator<string> {
  const record = of as Readonly<Record<string, unknown>>;
  // As JSON.stringify: members whose value is undefined or a function are left out.
  const keys = Object.keys(record).filter((key) => record[key] !== undefined && typeof record[key] !== 'function');
  if (keys.length === 0) {
    yield '{}';
    return;
  }
  yield '{\n';
  for (const [k, key] of keys.entries()) {
    const value = record[key];
    const comma = k < keys.length - 1 ? ',' : '';
    if (!Array.isArray(value) || value.length === 0) {
      yield `  ${JSON.stringify(key)}: ${nested(value, 1)}${comma}\n`;
      continue;
    }
    yield `  ${JSON.stringify(key)}: [\n`;
    for (let at = 0; at < value.length; at += perChunk) {
      let piece = '';
      for (let i = at; i < Math.min(at + perChunk, value.length); i++) {
        // As JSON.stringify: an item that has no JSON (undefined, a function) is null.
        const item: unknown = value[i];
        piece += `    ${item === undefined || typeof item === 'function' ? 'null' : nested(item, 2)}${i < value.length - 1 ? ',' : ''}\n`;
      }
      yield piece;
    }
    yield `  ]${comma}\n`;
  }
  yield '}';
}
