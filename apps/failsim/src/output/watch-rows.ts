// The rows of a `kubectl get` table that changed since the last look, as `kubectl get
// --watch` prints them: an object that appeared, one whose row reads differently (ages
// aside), and one that was deleted (its last state, as the watch's DELETED event carries
// it). A row is printed again only when its object's resourceVersion moved, so a look
// costs a walk of the list, not a table of it: the transcript of a 1,000-node run looks
// at 30,000 Pods hundreds of times.
import type { KubeObject } from '@failsim/core';

/** What a table's watch would have printed since the last look: objects changed or new, and objects gone. */
export interface RowChanges<T> {
  readonly changed: readonly T[];
  readonly gone: readonly T[];
}

/** An object's row as last printed; `look` is the last look that listed it. Updated in place: most rows are the same at each look. */
interface SeenRow<T> {
  resourceVersion: string;
  row: string;
  object: T;
  look: number;
}

/**
 * A watcher of one table: each call with the table's objects now returns those whose row
 * (`rowOf`, measured from a fixed time so ages do not count) differs from the last call's,
 * and those no longer listed. Objects are told apart by uid, so a re-created Pod of the
 * same name is new. The first call returns every object as changed.
 * @example
 * const look = watchRows((pod: Pod) => getPods([pod], { now: zero })[1]!);
 * const { changed, gone } = look(pods);
 */
export const watchRows = <T extends KubeObject>(rowOf: (object: T) => string): ((objects: readonly T[]) => RowChanges<T>) => {
  const seen = new Map<string, SeenRow<T>>();
  let look = 0;
  return (objects) => {
    look++;
    const changed: T[] = [];
    for (const object of objects) {
      const uid = object.metadata?.uid ?? '';
      const resourceVersion = object.metadata?.resourceVersion ?? '';
      const before = seen.get(uid);
      if (before === undefined) {
        seen.set(uid, { resourceVersion, row: rowOf(object), object, look });
        changed.push(object);
        continue;
      }
      before.look = look;
      if (before.resourceVersion === resourceVersion) continue;
      const row = rowOf(object);
      if (row !== before.row) changed.push(object);
      Object.assign(before, { resourceVersion, row, object });
    }
    const gone: T[] = [];
    for (const [uid, before] of seen) {
      if (before.look === look) continue;
      gone.push(before.object);
      seen.delete(uid);
    }
    return { changed, gone };
  };
};
