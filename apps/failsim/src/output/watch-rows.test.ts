import { describe, expect, it } from '@jest/globals';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { watchRows } from './watch-rows.js';

const pod = (name: string, uid: string, resourceVersion: string, phase: string): Pod => ({ metadata: { name, uid, resourceVersion }, status: { phase } });
const names = (pods: readonly Pod[]): string[] => pods.map((p) => p.metadata!.name!);

describe('watchRows', () => {
  it('returns every object at the first look, then only those whose row changed, came or went', () => {
    const rows: string[] = [];
    const { look } = watchRows((p: Pod) => {
      rows.push(p.metadata!.name!);
      return `${p.metadata!.name} ${p.status!.phase}`;
    });
    expect(names(look([pod('a', '1', '10', 'Pending'), pod('b', '2', '11', 'Pending')]).changed)).toEqual(['a', 'b']);

    // b written again with the same row (a condition the table does not show): not news, and c is new.
    const second = look([pod('a', '1', '10', 'Pending'), pod('b', '2', '12', 'Pending'), pod('c', '3', '13', 'Pending')]);
    expect(names(second.changed)).toEqual(['c']);
    expect(second.gone).toEqual([]);

    // a runs, b is deleted (told as last seen), c unchanged.
    const third = look([pod('a', '1', '14', 'Running'), pod('c', '3', '13', 'Pending')]);
    expect(names(third.changed)).toEqual(['a']);
    expect(third.gone.map((p) => `${p.metadata!.name} ${p.metadata!.resourceVersion}`)).toEqual(['b 12']);
    // Rows are printed only for objects whose resourceVersion moved: a, b, c, b, a.
    expect(rows).toEqual(['a', 'b', 'b', 'c', 'a']);
  });

  it('tells a re-created object of the same name by its uid', () => {
    const { look } = watchRows((p: Pod) => `${p.metadata!.name} ${p.status!.phase}`);
    look([pod('web-0', '1', '10', 'Running')]);
    const recreated = look([pod('web-0', '2', '20', 'Running')]);
    expect(recreated.changed.map((p) => p.metadata!.uid)).toEqual(['2']);
    expect(recreated.gone.map((p) => p.metadata!.uid)).toEqual(['1']);
  });

  it('answers the same from the objects written and deleted since the last look, without the others', () => {
    const { look, lookAt } = watchRows((p: Pod) => `${p.metadata!.name} ${p.status!.phase}`);
    look([pod('a', '1', '10', 'Pending'), pod('b', '2', '11', 'Pending'), pod('c', '3', '12', 'Running')]);
    // a runs; b written without a visible change; c deleted (told as the deletion left it); d made and deleted unseen.
    const changes = lookAt([pod('a', '1', '13', 'Running'), pod('b', '2', '14', 'Pending')], [pod('c', '3', '15', 'Succeeded'), pod('d', '4', '16', 'Pending')]);
    expect(names(changes.changed)).toEqual(['a']);
    expect(changes.gone.map((p) => `${p.metadata!.name} ${p.status!.phase}`)).toEqual(['c Succeeded']);
    // A full look after it agrees: nothing new, nothing gone.
    expect(look([pod('a', '1', '13', 'Running'), pod('b', '2', '14', 'Pending')])).toEqual({ changed: [], gone: [] });
  });
});
