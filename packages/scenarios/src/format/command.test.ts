import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { parseCommand, splitWords } from './command.js';

const lit = (raw: string) => ({ raw, parts: [raw] });

describe('splitWords', () => {
  it('honours quotes and keeps references whole', () => {
    expect(splitWords(`a "b c" 'd e' {{ vm of node w1 }}x`)).toEqual(E.right(['a', 'b c', 'd e', '{{ vm of node w1 }}x']));
    expect(splitWords('a "b')).toEqual(E.left('unclosed quote "'));
  });
});

describe('parseCommand', () => {
  it('parses the kubectl verbs', () => {
    expect(parseCommand('kubectl delete node {{ node of pod cassandra/cassandra-0 }}')).toEqual(
      E.right({ tool: 'kubectl', verb: 'delete-node', node: { raw: '{{ node of pod cassandra/cassandra-0 }}', parts: [{ kind: 'node-of-pod', namespace: 'cassandra', pod: 'cassandra-0' }] } }),
    );
    expect(parseCommand('kubectl delete pod cassandra-0 -n cassandra --force --grace-period=0')).toEqual(
      E.right({ tool: 'kubectl', verb: 'delete-pod', namespace: 'cassandra', pod: lit('cassandra-0'), force: true, gracePeriodSeconds: 0 }),
    );
    expect(parseCommand('kubectl drain w1 --ignore-daemonsets --delete-local-data --timeout=5m')).toEqual(
      E.right({ tool: 'kubectl', verb: 'drain', node: lit('w1'), ignoreDaemonsets: true, deleteEmptydirData: true, force: false, disableEviction: false, timeoutMs: 300_000 }),
    );
    expect(parseCommand('kubectl uncordon w1')).toEqual(E.right({ tool: 'kubectl', verb: 'uncordon', node: lit('w1') }));
    expect(parseCommand('kubectl taint nodes w1 node.kubernetes.io/out-of-service=nodeshutdown:NoExecute')).toEqual(
      E.right({ tool: 'kubectl', verb: 'taint-nodes', node: lit('w1'), overwrite: false, taints: [{ key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute', remove: false }] }),
    );
    expect(parseCommand('kubectl scale sts/cassandra -n cassandra --replicas 3')).toEqual(
      E.right({ tool: 'kubectl', verb: 'scale', namespace: 'cassandra', kind: 'statefulset', name: 'cassandra', replicas: 3 }),
    );
    expect(parseCommand('kubectl apply -f cassandra.yaml')).toEqual(E.right({ tool: 'kubectl', verb: 'apply', file: 'cassandra.yaml' }));
    expect(parseCommand('kubectl exec -it cassandra-0 -n cassandra -- cqlsh -e "SELECT * FROM mydemo.emp"')).toEqual(
      E.right({ tool: 'kubectl', verb: 'exec', namespace: 'cassandra', pod: lit('cassandra-0'), command: ['cqlsh', '-e', 'SELECT * FROM mydemo.emp'], cql: 'SELECT * FROM mydemo.emp' }),
    );
  });
  it('parses govc, bosh cck and the faults', () => {
    expect(parseCommand('govc vm.power -off {{ vm of node w1 }}')).toEqual(
      E.right({ tool: 'govc', command: 'vm.power', args: [lit('-off'), { raw: '{{ vm of node w1 }}', parts: [{ kind: 'vm-of-node', node: 'w1' }] }] }),
    );
    expect(parseCommand('bosh -d service-instance_x cck --resolution reboot_vm --resolution ignore')).toEqual(
      E.right({ tool: 'bosh', deployment: 'service-instance_x', command: 'cck', resolutions: ['reboot_vm', 'ignore'], mode: 'interactive' }),
    );
    expect(parseCommand('bosh -d dep cck --auto')).toEqual(E.right({ tool: 'bosh', deployment: 'dep', command: 'cck', resolutions: [], mode: 'auto' }));
    expect(parseCommand('partition node w1')).toEqual(E.right({ tool: 'failsim', verb: 'partition', node: lit('w1') }));
    expect(parseCommand('heal node w1')).toEqual(E.right({ tool: 'failsim', verb: 'heal', node: lit('w1') }));
    expect(parseCommand('restart-kubelet node {{ node of pod cassandra/cassandra-0 }}')).toEqual(
      E.right({ tool: 'failsim', verb: 'restart-kubelet', node: { raw: '{{ node of pod cassandra/cassandra-0 }}', parts: [{ kind: 'node-of-pod', namespace: 'cassandra', pod: 'cassandra-0' }] } }),
    );
  });
  it('deletes several nodes, by name or by label selector, as kubectl does', () => {
    expect(parseCommand('kubectl delete node w1')).toEqual(E.right({ tool: 'kubectl', verb: 'delete-node', node: lit('w1') }));
    expect(parseCommand('kubectl delete nodes w1 w2 {{ node of pod db/db-0 }}')).toEqual(
      E.right({
        tool: 'kubectl',
        verb: 'delete-nodes',
        nodes: [lit('w1'), lit('w2'), { raw: '{{ node of pod db/db-0 }}', parts: [{ kind: 'node-of-pod', namespace: 'db', pod: 'db-0' }] }],
      }),
    );
    for (const line of ['kubectl delete node -l topology.kubernetes.io/zone=zone-c', 'kubectl delete no --selector=topology.kubernetes.io/zone=zone-c']) {
      expect(parseCommand(line)).toEqual(E.right({ tool: 'kubectl', verb: 'delete-nodes', nodes: [], selector: 'topology.kubernetes.io/zone=zone-c' }));
    }
  });
  it('refuses what it does not know, with one clear message', () => {
    const bad: [string, string][] = [
      ['kubeclt get pods', 'unknown command "kubeclt" (use kubectl, govc, bosh, partition, heal, restart-kubelet) (did you mean "kubectl"?)'],
      ['restart-kublet node w1', 'unknown command "restart-kublet" (use kubectl, govc, bosh, partition, heal, restart-kubelet) (did you mean "restart-kubelet"?)'],
      ['restart-kubelet w1', 'restart-kubelet: use "restart-kubelet node NODE"'],
      ['kubectl get pods', 'kubectl: unknown verb "get" (use delete, drain, cordon, uncordon, taint, scale, apply, exec)'],
      ['kubectl drain w1 --ignore-daemonset', 'kubectl drain: unknown flag "--ignore-daemonset" (did you mean "--ignore-daemonsets"?)'],
      ['kubectl delete pod x --grace-period=soon', 'kubectl delete: flag --grace-period takes a whole number ≥ 0, not "soon"'],
      ['kubectl delete pvc x', 'kubectl delete: only nodes and pods can be deleted, not "pvc"'],
      ['kubectl delete node', 'kubectl delete node: expects node names or -l <selector>, got neither'],
      ['kubectl delete node a -l zone=c', 'kubectl delete node: name cannot be provided when a selector is specified'],
      ['kubectl delete node -l "zone in c"', 'kubectl delete node: -l "zone in c": unable to parse requirement: found \'c\' expected: \'(\''],
      ['kubectl delete node a --force', 'kubectl delete node: takes no flags but -l'],
      ['kubectl delete pod -l app=web', 'kubectl delete: -l selects nodes only'],
      ['kubectl taint nodes w1 foo', 'kubectl taint: invalid taint "foo" (use key=value:Effect or key:Effect-)'],
      ['kubectl scale sts/x', 'kubectl scale: --replicas is required'],
      ['kubectl exec x', 'kubectl exec: give the command after "--"'],
      ['kubectl drain w1 --timeout=5 minutes', 'kubectl drain: flag --timeout: invalid duration "5" (use 30s, 5m, 1h)'],
      ['bosh -d d cck --resolution reboot_mv', 'bosh cck: unknown resolution "reboot_mv" (did you mean "reboot_vm"?)'],
      ['bosh -d d cck --auto --report', 'bosh cck: --auto and --report exclude each other'],
      ['bosh cck', 'bosh cck: -d DEPLOYMENT is required'],
      ['bosh -d d deploy', 'bosh: unknown command "deploy" (only "bosh -d DEPLOYMENT cck" is supported)'],
      ['partition w1', 'partition: use "partition node NODE"'],
      ['govc vm.power -off {{ ip of node w1 }}', 'govc vm.power: unknown reference "{{ ip of node w1 }}" (use "node of pod NS/NAME", "vm of node NAME", "vm of pod NS/NAME", "pv of pvc NS/NAME" or "disk of pvc NS/NAME on vm VM")'],
    ];
    for (const [line, message] of bad) expect([line, parseCommand(line)]).toEqual([line, E.left(message)]);
  });
});
