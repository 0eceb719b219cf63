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

/** The looks of one table's watch, from {@link watchRows}. */
export interface RowWatch<T> {
  /** Given every object of the table now: those changed or new, and those no longer listed. */
  readonly look: (objects: readonly T[]) => RowChanges<T>;
  /**
   * Given only the objects written since the last look (as they are now) and those
   * deleted: the same answer without a walk of the table; a deleted object is told as
   * the deletion left it.
   */
  readonly lookAt: (written: readonly T[], deleted: readonly T[]) => RowChanges<T>;
}

/**
 * A watch of one table: each look returns the objects whose row (`rowOf`, measured from a
 * fixed time so ages do not count) differs from the last look's, and those gone. Objects
 * are told apart by uid, so a re-created Pod of the same name is new. The first look
 * returns every object as changed.
 * @example
 * const pods = watchRows((pod: Pod) => getPods([pod], { now: zero })[1]!);
 * const { changed, gone } = pods.look(list);
 */
export const watchRows = <T extends KubeObject>(rowOf: (object: T) => string): RowWatch<T> => {
  const seen = new Map<string, SeenRow<T>>();
  let look = 0;
  /** Whether `object`'s row is news; remembers it as seen at this look. */
  const changes = (object: T): boolean => {
    const uid = object.metadata?.uid ?? '';
    const resourceVersion = object.metadata?.resourceVersion ?? '';
    const before = seen.get(uid);
    if (before === undefined) {
      seen.set(uid, { resourceVersion, row: rowOf(object), object, look });
      return true;
    }
    before.look = look;
    if (before.resourceVersion === resourceVersion) return false;
    const row = rowOf(object);
    const changed = row !== before.row;
    Object.assign(before, { resourceVersion, row, object });
    return changed;
  };
  return {
    look: (objects) => {
      look++;
      const changed = objects.filter(changes);
      const gone: T[] = [];
      for (const [uid, before] of seen) {
        if (before.look === look) continue;
        gone.push(before.object);
        seen.delete(uid);
      }
      return { changed, gone };
    },
    lookAt: (written, deleted) => {
      look++;
      const changed = written.filter(changes);
      // Only what a look had seen: a Pod made and deleted between two looks was never shown.
      const gone = deleted.filter((object) => seen.delete(object.metadata?.uid ?? ''));
      return { changed, gone };
    },
  };
};
