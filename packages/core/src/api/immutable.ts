// Stored objects are deeply frozen and shared: reads cost no copy, watchers share one
// object per change, and a component that mutates what it read fails loudly instead of
// silently changing the "server's" state. Frozen subtrees of an input are reused as is
// (structural sharing), so an update built by spreading a stored object copies only
// what it changed.

/** A deep copy of `value` with every object and array frozen; frozen subtrees are shared. */
export const freezeCopy = <T>(value: T): T => {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    return Object.freeze(value.map((v: unknown) => freezeCopy(v))) as T;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) out[k] = freezeCopy(v);
  }
  return Object.freeze(out) as T;
};

/** Structural equality of JSON-like values (undefined members count as absent). */
export const deepEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(rb, k) && deepEqual(ra[k], rb[k]));
};

/** A mutable deep copy, for callers that want to edit what they read. */
export const thaw = <T>(value: T): T => structuredClone(value);
