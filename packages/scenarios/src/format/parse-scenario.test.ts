import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { readFileSync } from 'node:fs';
import { parseScenario } from './parse-scenario.js';
import { formatScenarioError } from './scenario-error.js';

const FILE = 'scenarios/x.yaml';
// The library's scenario is the full example (README "Scenario format").
const fixture = new URL('../../library/statefulset-node-poweroff.yaml', import.meta.url);

/** A small valid scenario; `extra` lines are appended, `replace` swaps text. */
const base = `metadata: { name: x, title: X }
profile: "1.12"
storage: vcp
cluster:
  nodes:
    - { name: w1, role: worker }
steps:
  - id: poweroff
    at: 1m
    run: partition node w1
`;

const errorsOf = (text: string): string[] => {
  const result = parseScenario(text, { file: FILE });
  return E.isLeft(result) ? result.left.map(formatScenarioError) : ['(parsed)'];
};

describe('parseScenario', () => {
  it('parses the library\'s statefulset-node-poweroff in full', () => {
    const result = parseScenario(readFileSync(fixture, 'utf8'), { file: 'library/statefulset-node-poweroff.yaml' });
    if (E.isLeft(result)) throw new Error(result.left.map(formatScenarioError).join('\n'));
    const s = result.right;
    expect(s.metadata.name).toBe('statefulset-node-poweroff');
    expect(s.profile.name).toBe('1.12');
    expect(s.storage).toBe('vcp');
    expect(s.cluster.nodes.map((n) => n.name)).toEqual(['master-0', 'worker-0', 'worker-1', 'worker-2', 'worker-3']);
    expect(s.cluster.bosh).toEqual({ deployment: 'service-instance_3aa87d05' });
    expect(s.resources.map((r) => (r.source === 'file' ? r.path : r.source))).toEqual(['manifests/cassandra-namespace.yaml', 'manifests/cass-sc.yaml', 'manifests/cassandra-statefulset.yaml']);
    const pod = { kind: 'pod', namespace: 'cassandra', name: { raw: 'cassandra-0', parts: ['cassandra-0'] } };
    expect(s.steps.map((st) => [st.id, st.trigger])).toEqual([
      ['ready', { kind: 'when', object: pod, status: 'Running', timeoutMs: 600_000 }],
      ['poweroff', { kind: 'after', afterMs: 60_000 }],
      ['delete-node', { kind: 'after', afterMs: 4_200_000 }],
      ['read-back', { kind: 'when', object: pod, status: 'Running', timeoutMs: 900_000 }],
    ]);
    expect(s.steps[0]?.command).toMatchObject({ tool: 'kubectl', verb: 'exec', command: ['cqlsh', '-e', expect.stringContaining("INSERT INTO mydemo.emp (emp_id, emp_name) VALUES (1, 'Cormac')")] });
    expect(s.steps[1]?.command).toMatchObject({ tool: 'govc', command: 'vm.power' });
    expect(s.steps[2]?.command).toMatchObject({ tool: 'kubectl', verb: 'delete-node' });
    expect(s.expectations.map((x) => x.kind)).toEqual(['state', 'state', 'event', 'held', 'event', 'event', 'state', 'data']);
    expect(s.expectations[0]).toMatchObject({ within: { fromMs: 30_000, toMs: 50_000 }, after: 'poweroff', position: { line: 51, column: 5 } });
    expect(s.expectations[3]).toMatchObject({ forMs: 3_600_000 });
    expect(s.expectations[4]).toMatchObject({ message: /Multi-Attach error for volume/ });
    expect(s.seed).toBe(42);
    expect(s.untilMs).toBeUndefined();
  });

  it('reads status absent as a plain status (the removal of the object)', () => {
    const result = parseScenario(`${base}expectations:\n  - held: { object: node/w1, status: absent, for: 1m, after: poweroff }\n`, { file: FILE });
    expect(E.isRight(result) && result.right.expectations[0]).toMatchObject({ kind: 'held', status: 'absent', forMs: 60_000 });
  });

  it('reads a taint in place of a status, present or absent', () => {
    const result = parseScenario(
      `${base}expectations:\n  - state: { object: node/w1, taint: node.kubernetes.io/unreachable:NoExecute, within: 1m, after: poweroff }\n  - held: { object: node/w1, taint: dedicated=db:NoSchedule, absent: true, for: 1m }\n`,
      { file: FILE },
    );
    expect(E.isRight(result) && result.right.expectations.map((e) => e.kind === 'state' || e.kind === 'held' ? ('taint' in e ? [e.taint, e.absent] : e.status) : e.kind)).toEqual([
      ['node.kubernetes.io/unreachable:NoExecute', false],
      ['dedicated=db:NoSchedule', true],
    ]);
  });

  it('reads a when condition whose object holds a reference', () => {
    const result = parseScenario(base.replace('at: 1m', 'when: node/{{ node of pod cassandra/cassandra-0 }} is NotReady\n    timeout: 5m'), { file: FILE });
    expect(E.isRight(result) && result.right.steps[0]?.trigger).toEqual({
      kind: 'when', status: 'NotReady', timeoutMs: 300_000,
      object: { kind: 'node', name: { raw: '{{ node of pod cassandra/cassandra-0 }}', parts: [{ kind: 'node-of-pod', namespace: 'cassandra', pod: 'cassandra-0' }] } },
    });
  });

  it('applies overrides by upstream flag name', () => {
    const result = parseScenario(`${base}overrides:\n  options: { --node-monitor-grace-period: 50s, podEvictionTimeout: 2m }\n  features: { TaintBasedEvictions: true }\n`, { file: FILE });
    expect(E.isRight(result) && [result.right.profile.options.nodeMonitorGracePeriod, result.right.profile.options.podEvictionTimeout, result.right.profile.features.TaintBasedEvictions]).toEqual([50_000, 120_000, true]);
  });

  const bad: [string, string, string[]][] = [
    ['YAML syntax', base.replace('storage: vcp', 'storage: [vcp'), ['scenarios/x.yaml:4:1: Flow sequence in block collection must be sufficiently indented and end with a ]']],
    ['duplicate keys', `${base}storage: csi\n`, ['scenarios/x.yaml:11:1: Map keys must be unique']],
    ['unknown top-level field', `${base}stpes: []\n`, ['scenarios/x.yaml:11:1: stpes: unknown field "stpes" (did you mean "steps"?)']],
    ['unknown step field', base.replace('    at: 1m', '    at: 1m\n    atx: 2m'), ['scenarios/x.yaml:10:5: steps[0].atx: unknown field "atx" (did you mean "at"?)']],
    ['wrong type', base.replace('storage: vcp', 'storage: 3'), ['scenarios/x.yaml:3:10: storage: must be one of "vcp", "csi"; got 3']],
    ['unknown storage', base.replace('storage: vcp', 'storage: nfs'), ['scenarios/x.yaml:3:10: storage: must be one of "vcp", "csi"; got "nfs"']],
    ['missing required', base.replace('storage: vcp\n', ''), ['scenarios/x.yaml:1:1: missing required field "storage"']],
    ['unknown profile', base.replace('"1.12"', '"1.20"'), ['scenarios/x.yaml:2:10: profile: unknown profile "1.20" (failsim has 1.12, 1.14, 1.18, 1.28, 1.32)']],
    ['bad metadata name', base.replace('name: x,', 'name: X_1,'), ['scenarios/x.yaml:1:19: metadata.name: invalid name "X_1" (lowercase letters, digits and "-", at most 63 characters)']],
    ['manifest without kind', `${base}resources:\n  - apiVersion: v1\n    metadata: { name: a }\n`, ['scenarios/x.yaml:12:5: resources[0]: missing required field "kind"']],
    ['manifest without metadata.name', `${base}resources:\n  - apiVersion: v1\n    kind: Pod\n    metadata: { namespace: a }\n`, ['scenarios/x.yaml:14:15: resources[0].metadata: missing required field "name"']],
    ['unknown command', base.replace('partition node w1', 'kubeclt delete node w1'), ['scenarios/x.yaml:10:10: steps[0].run: unknown command "kubeclt" (use kubectl, govc, bosh, partition, heal, restart-kubelet) (did you mean "kubectl"?)']],
    ['unknown kubectl verb', base.replace('partition node w1', 'kubectl get nodes'), ['scenarios/x.yaml:10:10: steps[0].run: kubectl: unknown verb "get" (use delete, drain, cordon, uncordon, taint, scale, apply, exec)']],
    ['bad kubectl flag', base.replace('partition node w1', 'kubectl drain w1 --ignore-daemonset'), ['scenarios/x.yaml:10:10: steps[0].run: kubectl drain: unknown flag "--ignore-daemonset" (did you mean "--ignore-daemonsets"?)']],
    ['bad duration', base.replace('at: 1m', 'at: 5 minutes'), ['scenarios/x.yaml:9:9: steps[0].at: invalid duration "5 minutes" (use 30s, 5m, 1h)']],
    ['two triggers', base.replace('at: 1m', 'at: 1m\n    after: 2m'), ['scenarios/x.yaml:10:5: steps[0].after: a step has exactly one of at, after, when']],
    ['when without timeout', base.replace('at: 1m', 'when: node/w1 is NotReady'), ['scenarios/x.yaml:8:5: steps[0]: when needs a timeout']],
    ['after a nonexistent step', `${base}expectations:\n  - state: { object: node/w1, status: NotReady, within: 30s..50s, after: powerof }\n`, ['scenarios/x.yaml:12:74: expectations[0].state.after: no step with id "powerof" (did you mean "poweroff"?)']],
    ['reversed window', `${base}expectations:\n  - state: { object: node/w1, status: NotReady, within: 50s..30s, after: poweroff }\n`, ['scenarios/x.yaml:12:57: expectations[0].state.within: invalid window "50s..30s": its start is after its end']],
    ['bad object', `${base}expectations:\n  - held: { object: pod/cassandra-0, status: Running, for: 60m }\n`, ['scenarios/x.yaml:12:21: expectations[0].held.object: invalid object "pod/cassandra-0" (pod needs pod/NAMESPACE/NAME)']],
    ['two kinds in one expectation', `${base}expectations:\n  - state: { object: node/w1, status: NotReady, within: 50s }\n    held: { object: node/w1, status: NotReady, for: 1m }\n`, ['scenarios/x.yaml:12:5: expectations[0]: an expectation has exactly one of state, held, event, data']],
    ['bad reference', base.replace('partition node w1', 'partition node {{ node of cassandra-0 }}'), ['scenarios/x.yaml:10:10: steps[0].run: partition: unknown reference "{{ node of cassandra-0 }}" (use "node of pod NS/NAME", "vm of node NAME", "vm of pod NS/NAME", "pv of pvc NS/NAME" or "disk of pvc NS/NAME on vm VM")']],
    ['path outside the folder', `${base}resources:\n  - file: ../secrets.yaml\n`, ['scenarios/x.yaml:12:11: resources[0].file: path "../secrets.yaml" leaves the scenario\'s folder']],
    ['absolute path', `${base}resources:\n  - file: /etc/passwd\n`, ['scenarios/x.yaml:12:11: resources[0].file: absolute path "/etc/passwd" (use a path relative to the scenario\'s folder)']],
    ['unknown option override', `${base}overrides:\n  options: { nodeMonitorGracePeriode: 50s }\n`, ['scenarios/x.yaml:12:14: overrides.options.nodeMonitorGracePeriode: unknown option "nodeMonitorGracePeriode" of profile 1.12 (did you mean "nodeMonitorGracePeriod"?)']],
    ['custom YAML tag', base.replace('storage: vcp', 'storage: !!js/function vcp'), ['scenarios/x.yaml:3:10: YAML tags are not allowed (found "tag:yaml.org,2002:js/function")']],
    ['local YAML tag', base.replace('storage: vcp', 'storage: !vcp vcp'), ['scenarios/x.yaml:3:10: YAML tags are not allowed (found "!vcp")']],
    ['huge file', `${base}# ${'x'.repeat(1 << 20)}\n`, ['scenarios/x.yaml:1:1: file is 1048753 bytes, more than the 1048576 allowed']],
    ['deep flow nesting', `${base}seed: ${'['.repeat(100)}${']'.repeat(100)}\n`, ['scenarios/x.yaml:11:39: nesting deeper than 32 levels']],
    ['deep block nesting', `${base}overrides:\n${Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i + 1)}a${i}:`).join('\n')} 1\n`, ['scenarios/x.yaml:43:65: nesting deeper than 32 levels']],
    ['alias bomb', `${base}x: &a [x, x]\ny: [${Array.from({ length: 20 }, () => '*a').join(', ')}]\n`, ['scenarios/x.yaml:1:1: Excessive alias count indicates a resource exhaustion attack']],
    ['two documents', `${base}---\n${base}`, ['scenarios/x.yaml:11:1: a scenario is one YAML document; found more']],
    ['bosh deployment unknown', `${base.replace('  nodes:', '  vsphere: { hosts: [h1], datastores: [{ name: ds }] }\n  bosh: { deployment: dep }\n  nodes:')}  - after: 1m\n    run: bosh -d other cck --auto\n`, ['scenarios/x.yaml:14:10: steps[1].run: bosh: no deployment "other" (cluster.bosh.deployment is "dep")']],
    ['a StorageClass of the other storage', `${base}resources:\n  - { apiVersion: storage.k8s.io/v1, kind: StorageClass, metadata: { name: sc }, provisioner: csi.vsphere.vmware.com }\n`,
      ['scenarios/x.yaml:12:95: resources[0].provisioner: StorageClass "sc" uses csi.vsphere.vmware.com but the scenario has storage: vcp (use kubernetes.io/vsphere-volume, or storage: csi)']],
    ['a StorageClass on an undeclared datastore', `${base}resources:\n  - { apiVersion: storage.k8s.io/v1, kind: StorageClass, metadata: { name: sc }, provisioner: kubernetes.io/vsphere-volume, parameters: { datastore: ds9 } }\n`,
      ['scenarios/x.yaml:12:150: resources[0].parameters.datastore: StorageClass "sc" names datastore "ds9", which a scenario without cluster.vsphere has only vsanDatastore']],
    ['status and taint', `${base}expectations:\n  - state: { object: node/w1, status: NotReady, taint: x:NoSchedule, within: 50s }\n`, ['scenarios/x.yaml:12:12: expectations[0].state: a state expectation has exactly one of status, taint']],
    ['neither status nor taint', `${base}expectations:\n  - held: { object: node/w1, for: 1m }\n`, ['scenarios/x.yaml:12:11: expectations[0].held: a held expectation has exactly one of status, taint']],
    ['a pod\'s taint', `${base}expectations:\n  - state: { object: pod/ns/p, taint: x:NoSchedule, within: 50s }\n`, ['scenarios/x.yaml:12:39: expectations[0].state.taint: only nodes have taints (object is pod/…)']],
    ['a taint\'s effect mistyped', `${base}expectations:\n  - state: { object: node/w1, taint: node.kubernetes.io/unreachable:NoExecut, within: 50s }\n`, ['scenarios/x.yaml:12:38: expectations[0].state.taint: invalid taint "node.kubernetes.io/unreachable:NoExecut": effect "NoExecut" is not one of NoSchedule, PreferNoSchedule, NoExecute (did you mean "NoExecute"?) (use key, key:Effect or key=value:Effect, e.g. node.kubernetes.io/unreachable:NoExecute)']],
    ['a taint\'s value without effect', `${base}expectations:\n  - state: { object: node/w1, taint: dedicated=db, within: 50s }\n`, ['scenarios/x.yaml:12:38: expectations[0].state.taint: invalid taint "dedicated=db" (use key, key:Effect or key=value:Effect, e.g. node.kubernetes.io/unreachable:NoExecute)']],
    ['absent with a status', `${base}expectations:\n  - state: { object: node/w1, status: Ready, absent: true, within: 50s }\n`, ['scenarios/x.yaml:12:46: expectations[0].state.absent: absent goes with taint (for an object that does not exist, use status: absent)']],
    ['bad regex', `${base}expectations:\n  - event: { reason: X, message: "/a(/" }\n`, ['scenarios/x.yaml:12:34: expectations[0].event.message: Invalid regular expression: /a(/: Unterminated group']],
  ];
  it.each(bad)('refuses %s', (_name, text, expected) => {
    expect(errorsOf(text)).toEqual(expected);
  });
});
