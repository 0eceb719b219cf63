import { describe, expect, it } from '@jest/globals';
import { freezeCopy } from '@failsim/core';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { profile112, profile118, profile128, profile132 } from '../profiles/profiles.js';
import { podRequests } from './pod-requests.js';
import { SchedulerCache } from './scheduler-cache.js';
import { bestScores, maxNodeScore, scoreNodes, scoreSlots } from './scoring.js';

const node = (name: string, taints?: Node['spec']): Node => ({
  metadata: { name, labels: { zone: name === 'w1' ? 'a' : 'b' } },
  spec: taints,
  status: { allocatable: { cpu: '1', memory: '1000Mi', pods: '110' } },
});

const owned = (name: string, nodeName?: string, cpu = '100m'): Pod => ({
  metadata: { name, namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'sts', controller: true }] },
  spec: { nodeName, containers: [{ name: 'c', resources: { requests: { cpu, memory: '100Mi' } } }] },
});

const infos = (cache: SchedulerCache) => cache.nodeNames().map((n) => cache.nodeInfo(n)!);

describe('scoreNodes', () => {
  it('scores on 0–10 before the framework and 0–100 after', () => {
    expect([maxNodeScore('predicates'), maxNodeScore('prefilter-plugins')]).toEqual([10, 100]);
  });

  it('prefers the less requested node (1.12: least requested + balanced + spread + affinity + taints)', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('w1'));
    cache.setNode(node('w2'));
    cache.setPod({ metadata: { name: 'x', namespace: 'default' }, spec: { nodeName: 'w1', containers: [{ name: 'c', resources: { requests: { cpu: '500m', memory: '100Mi' } } }] } });
    const [w1, w2] = scoreNodes(owned('new'), infos(cache), profile112);
    // w1: cpu (1000−600)·10/1000 = 4, memory (1000−200)·10/1000 = 8 → 6; balanced 10·(1−|0.6−0.2|) = 6;
    // w2: cpu 9, memory 9 → 9; balanced 10; spread, affinity, taints equal.
    expect(w2! - w1!).toBe(3 + 4);
  });

  it('spreads pods of one controller and avoids PreferNoSchedule taints', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('w1'));
    cache.setNode(node('w2', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] }));
    cache.setNode(node('w3'));
    cache.setPod(owned('web-0', 'w1'));
    const [w1, w2, w3] = scoreNodes(owned('web-1'), infos(cache), profile128);
    expect(w3).toBeGreaterThan(w1!);
    expect(w3).toBeGreaterThan(w2!);
  });

  it('counts spreading the same from the inverted controller index as from each node', () => {
    const cache = new SchedulerCache();
    for (const name of ['w1', 'w2', 'w3', 'w4']) cache.setNode(node(name, name === 'w4' ? { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] } : undefined));
    cache.setPod(owned('web-0', 'w1'));
    cache.setPod(owned('web-1', 'w1'));
    cache.setPod(owned('web-2', 'w2', '300m'));
    for (const profile of [profile112, profile128]) {
      const byNode = scoreNodes(owned('web-3'), infos(cache), profile);
      const inverted = scoreNodes(owned('web-3'), infos(cache), profile, undefined, (owner) => cache.controllerPodsByNode(owner));
      expect([...inverted]).toEqual([...byNode]);
      // w3 is empty and untainted: the best; w1 holds two of the controller's pods.
      expect(Math.max(...inverted)).toBe(inverted[2]);
      expect(inverted[0]).toBeLessThan(inverted[1]!);
    }
    // A pod of a controller with no pods counted anywhere spreads evenly.
    const stranger: Pod = { ...owned('x'), metadata: { name: 'x', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'other', controller: true }] } };
    expect([...scoreNodes(stranger, infos(cache), profile128, undefined, (owner) => cache.controllerPodsByNode(owner))]).toEqual([...scoreNodes(stranger, infos(cache), profile128)]);
  });
});

describe('scoreSlots', () => {
  it.each([profile112, profile118, profile128, profile132])('scores each node exactly as scoreNodes does ($version)', (profile) => {
    const cache = new SchedulerCache();
    const nodes: Node[] = [
      node('w1'),
      node('w2', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] }),
      node('w3', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }, { key: 'other', effect: 'PreferNoSchedule' }] }),
      { metadata: { name: 'w4', labels: { zone: 'a' } }, status: { allocatable: { cpu: '3', memory: '5000Mi', pods: '110' } } },
      { metadata: { name: 'w5' }, status: { allocatable: { cpu: '250m', memory: '300Mi', pods: '110' } } },
      node('w6'),
    ];
    for (const n of nodes) cache.setNode(n);
    cache.setPod(owned('a', 'w1'));
    cache.setPod(owned('b', 'w1', '300m'));
    cache.setPod(owned('c', 'w4'));
    cache.setPod({ metadata: { name: 'free', namespace: 'default' }, spec: { nodeName: 'w3', containers: [{ name: 'c' }] } });
    cache.setPod({ metadata: { name: 'big', namespace: 'default' }, spec: { nodeName: 'w6', containers: [{ name: 'c', resources: { requests: { cpu: '900m', memory: '900Mi' } } }] } });
    const all = infos(cache);
    const pods: Pod[] = [
      owned('new'),
      { metadata: { name: 'plain', namespace: 'default' }, spec: { containers: [{ name: 'c' }] } },
      {
        ...owned('picky'),
        spec: {
          containers: [{ name: 'c', resources: { requests: { cpu: '50m', memory: '10Mi' } } }],
          tolerations: [{ key: 'soft', operator: 'Exists', effect: 'PreferNoSchedule' }],
          affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } }] } },
        },
      },
    ];
    // Every node, a subset out of order (the walk may wrap), and one without PreferNoSchedule
    // taints (where only spreading and the resource part tell the nodes apart).
    for (const subset of [all, [all[4]!, all[5]!, all[0]!, all[2]!], [all[5]!, all[0]!, all[3]!, all[4]!]]) {
      const feasible = Int32Array.from(subset.map((i) => i.slot));
      for (const p of pods) {
        const expected = [...scoreNodes(p, subset, profile, undefined, (owner) => cache.controllerPodsByNode(owner))];
        const got = scoreSlots(p, cache.slots(), feasible, feasible.length, all, profile, podRequests(p), (owner) => cache.controllerPodsByNode(owner));
        expect([...got.subarray(0, feasible.length)]).toEqual(expected);
        // The best score and, in order, the indexes of the nodes that have it.
        const best = Math.max(...expected);
        expect(bestScores.best).toBe(best);
        expect([...bestScores.ties.subarray(0, bestScores.count)]).toEqual(expected.flatMap((score, i) => (score === best ? [i] : [])));
      }
    }
    // Frozen pods (as stored: requests memoised per containers array), taking turns so the
    // remembered pod shape changes from one call to the next, score as the unfrozen ones.
    const frozen = pods.map((p) => freezeCopy(p));
    for (const p of [...frozen, ...[...frozen].reverse(), frozen[0]!, frozen[0]!]) {
      const feasible = Int32Array.from(all.map((i) => i.slot));
      const got = scoreSlots(p, cache.slots(), feasible, feasible.length, all, profile, podRequests(p), (owner) => cache.controllerPodsByNode(owner));
      expect([...got.subarray(0, feasible.length)]).toEqual([...scoreNodes(structuredClone(p), all, profile, undefined, (owner) => cache.controllerPodsByNode(owner))]);
    }
    // The memo of resource scores follows the nodes: a pod landing, a node's allocatable changing.
    const score = (p: Pod) => [...scoreSlots(p, cache.slots(), Int32Array.from(all.map((i) => i.slot)), all.length, all, profile, podRequests(p), (o) => cache.controllerPodsByNode(o)).subarray(0, all.length)];
    const before = score(pods[0]!);
    cache.setPod(owned('d', 'w2', '500m'));
    cache.setNode({ metadata: { name: 'w6' }, status: { allocatable: { cpu: '2', memory: '2000Mi', pods: '110' } } });
    const after = score(pods[0]!);
    expect(after).toEqual([...scoreNodes(pods[0]!, all, profile, undefined, (o) => cache.controllerPodsByNode(o))]);
    expect(after).not.toEqual(before);
  });
});
