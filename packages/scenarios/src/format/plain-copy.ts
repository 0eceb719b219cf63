// Fresh copies of the plain values Document.toJS gives for the YAML core schema (objects,
// arrays, strings, numbers, booleans, null), for the YAML cache: a copy costs a fraction of
// converting the Document again (yaml's toJS walks its nodes, resolves each key and checks
// for aliases and merge keys: ~12% of loading a scenario).

/**
 * True when no object or array is reached twice in `value` (no YAML alias shares one), so
 * that {@link plainCopy} gives what Document.toJS gives.
 */
export const isTree = (value: unknown, seen: Set<object> = new Set()): boolean => {
  if (typeof value !== 'object' || value === null) return true;
  if (seen.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) return value.every((item) => isTree(item, seen));
  for (const key of Object.keys(value)) if (!isTree((value as Record<string, unknown>)[key], seen)) return false;
  return true;
};

/**
 * A deep copy of a tree of plain objects and arrays ({@link isTree}), with keys in the
 * same order; a `__proto__` key stays an own property, as Document.toJS makes it.
 * @example plainCopy({ a: [1, { b: 'x' }] }) // equal, no object shared
 */
export const plainCopy = <T>(value: T): T => {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = plainCopy(value[i] as unknown);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = plainCopy((value as Record<string, unknown>)[key]);
    if (key === '__proto__') Object.defineProperty(out, key, { value: item, writable: true, enumerable: true, configurable: true });
    else out[key] = item;
  }
  return out as T;
};
