import { describe, expect, it } from '@jest/globals';
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { defaultAdmissionOptions, withDefaultTolerations } from './admission.js';

const spec = (tolerations?: PodSpec['tolerations']): PodSpec => ({ containers: [{ name: 'c', image: 'nginx' }], ...(tolerations ? { tolerations } : {}) });

/** The tolerations as the plugin built them before they were shared (upstream's order and members). */
const expected = (notReady: number, unreachable: number) => [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: notReady },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: unreachable },
];

describe('DefaultTolerationSeconds with shared tolerations (issue 8)', () => {
  it('gives pods without tolerations one frozen list, with the JSON built per pod before', () => {
    const a = withDefaultTolerations(spec(), defaultAdmissionOptions);
    const b = withDefaultTolerations(spec([]), defaultAdmissionOptions);
    expect(a.tolerations).toBe(b.tolerations);
    expect(Object.isFrozen(a.tolerations) && a.tolerations!.every((t) => Object.isFrozen(t))).toBe(true);
    expect(JSON.stringify(a.tolerations)).toBe(JSON.stringify(expected(300, 300)));
  });

  it('appends the shared tolerations a pod lacks after its own', () => {
    const own = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' };
    const a = withDefaultTolerations(spec([own]), defaultAdmissionOptions);
    const bare = withDefaultTolerations(spec(), defaultAdmissionOptions);
    expect(a.tolerations).toEqual([own, expected(300, 300)[1]]);
    expect(a.tolerations![1]).toBe(bare.tolerations![1]);
    const all = spec([{ operator: 'Exists' }]);
    expect(withDefaultTolerations(all, defaultAdmissionOptions)).toBe(all);
  });

  it('follows the flags: other durations get their own constants', () => {
    const options = { ...defaultAdmissionOptions, defaultNotReadyTolerationSeconds: 30, defaultUnreachableTolerationSeconds: 60 };
    const a = withDefaultTolerations(spec(), options);
    expect(JSON.stringify(a.tolerations)).toBe(JSON.stringify(expected(30, 60)));
    expect(JSON.stringify(withDefaultTolerations(spec(), defaultAdmissionOptions).tolerations)).toBe(JSON.stringify(expected(300, 300)));
    expect(withDefaultTolerations(spec(), options).tolerations).toEqual(expected(30, 60));
  });
});
