// Stored objects are deeply frozen and shared: reads cost no copy, watchers share one
// object per change, and a component that mutates what it read fails loudly instead of
// silently changing the "server's" state. Frozen subtrees of an input are reused as is
// (structural sharing), so an update built by spreading a stored object copies only
// what it changed.

/** A deep copy of `value` with every object and array frozen; frozen subtrees are shared. */
export const freezeCopy = <T>(value: T): T => {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = freezeCopy(value[i] as unknown);
    return Object.freeze(out) as T;
  }
  // Object.assign is V8's fast clone; members are then replaced in place (see withChanges).
  const out = Object.assign({}, value) as Record<string, unknown>;
  let hasUndefined = false;
  for (const key in out) {
    const member = out[key];
    if (member === undefined) hasUndefined = true;
    else if (member !== null && typeof member === 'object' && !Object.isFrozen(member)) out[key] = freezeCopy(member);
  }
  if (hasUndefined) for (const key in out) if (out[key] === undefined) delete out[key];
  return Object.freeze(out) as T;
};

/**
 * Freezes `value`, an object its caller just built and nobody else holds, in place; its
 * members become frozen copies (or stay shared when already frozen). Undefined members
 * stay as they are, so build such objects without them.
 */
export const freezeOwned = <T extends object>(value: T): T => {
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const member = record[key];
    if (member !== null && typeof member === 'object' && !Object.isFrozen(member)) record[key] = freezeCopy(member);
  }
  return Object.freeze(value);
};

/**
 * Freezes `value`, an object its caller just built and nobody else holds, as
 * {@link freezeCopy} would copy it: in place (no copy) unless a member is undefined, in
 * which case the result is a frozen copy without those members, as freezeCopy's is.
 */
export const freezeBuilt = <T extends object>(value: T): T => {
  const record = value as Record<string, unknown>;
  for (const key in record) if (record[key] === undefined) return freezeCopy(value);
  return freezeOwned(value);
};

/**
 * Freezes `value`, a tree its caller just built and nobody else holds (every object in it
 * that is not frozen yet), in place all through, as {@link freezeCopy} would copy it: same
 * members in the same order, frozen parts shared, and an object with an undefined member
 * copied as freezeCopy would (without it). Where {@link freezeBuilt} copies unfrozen
 * members (they may be someone else's), this freezes them too: the kubelet's pod status,
 * its conditions and container statuses are built for one write (issue 8).
 */
export const freezeBuiltTree = <T>(value: T): T => {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = freezeBuiltTree(value[i] as unknown);
    return Object.freeze(value);
  }
  const record = value as Record<string, unknown>;
  for (const key in record) if (record[key] === undefined) return freezeCopy(value);
  for (const key in record) {
    const member = record[key];
    if (member !== null && typeof member === 'object' && !Object.isFrozen(member)) record[key] = freezeBuiltTree(member);
  }
  return Object.freeze(value);
};

/**
 * `{ ...base, ...changes }`, built with Object.assign: on Node 20, a spread copy that then
 * gains keys the source did not have costs ~3 µs (V8 leaves its fast clone path), where
 * Object.assign costs ~0.3 µs. The API server's write path does this several times per write.
 */
export const withChanges = <T extends object, U extends object>(base: T, changes: U): Omit<T, keyof U> & U =>
  Object.assign({}, base, changes);

/**
 * `{ ...base, ...changes }` for an object the caller will freeze in place (the API
 * server's write path): built with Object.assign so that it shares its hidden class with
 * every object built the same way. A spread copy that is then frozen gets a hidden class
 * of its own once V8 optimises the spreading function (on Node 20: every patched Event and
 * renewed Lease had one, ~410 bytes each; issue 8). A `__proto__` own key (a parsed patch
 * can hold one) must stay data, which only the spread guarantees, so such objects spread.
 */
export const copyWith = <T extends object, U extends object>(base: T, changes: U): Omit<T, keyof U> & U =>
  Object.hasOwn(base, '__proto__') || Object.hasOwn(changes, '__proto__') ? { ...base, ...changes } : Object.assign({}, base, changes);

/** Structural equality of JSON-like values (undefined members count as absent). */
export const deepEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  return deepEqualExcept(a, b);
};

/**
 * {@link deepEqual} of two objects' members other than `skip1` and `skip2` (undefined
 * members count as absent). Members the two share are settled by identity without a call:
 * a controller comparing two versions of a stored object (the DaemonSet controller's
 * shouldIgnoreNodeUpdate) finds most of them shared.
 */
export const deepEqualExcept = (a: object, b: object, skip1?: string, skip2?: string): boolean => {
  if (a === b) return true;
  const ra = a as Readonly<Record<string, unknown>>;
  const rb = b as Readonly<Record<string, unknown>>;
  let count = 0;
  for (const k in ra) {
    const va = ra[k];
    if (va === undefined || k === skip1 || k === skip2) continue;
    count++;
    const vb = rb[k];
    if (va !== vb && !deepEqual(va, vb)) return false;
  }
  for (const k in rb) if (rb[k] !== undefined && k !== skip1 && k !== skip2) count--;
  return count === 0;
};

/** A mutable deep copy, for callers that want to edit what they read. */
export const thaw = <T>(value: T): T => structuredClone(value);
