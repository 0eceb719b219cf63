import { describe, expect, it } from '@jest/globals';
import { SEED_WORKER_NAMES } from '@failsim/vsphere';
import * as E from 'fp-ts/lib/Either.js';
import { articleEnvironment, SEED_DEPLOYMENT } from './article-environment.js';

describe('articleEnvironment', () => {
  it('adopts the PKS deployment: a master and the four workers, instance uuid = node, VM cid = VM name, a persistent disk each', () => {
    const env = articleEnvironment({ seed: 'env', kubeSystem: false });
    const { vcenter, director, cpi, cluster } = env;
    const record = director.deployment(SEED_DEPLOYMENT)!;
    expect(record.instances.map((i) => [i.id, i.group, i.index])).toEqual([
      [78, 'master', 0],
      [79, 'worker', 0],
      [80, 'worker', 1],
      [81, 'worker', 2],
      [82, 'worker', 3],
    ]);
    const workers = record.instances.filter((i) => i.group === 'worker');
    expect(workers.map((i) => i.uuid)).toEqual([...SEED_WORKER_NAMES]);
    expect(workers.map((i) => i.vmCid)).toEqual(SEED_WORKER_NAMES.map((n) => env.vmForNode.get(n)));
    expect(record.instances[0]!.vmCid).toBe(env.masterVm);
    expect(vcenter.vms()).toHaveLength(5);
    for (const i of record.instances) {
      expect(vcenter.file(cpi.diskPath(i.disk!.cid))).toBeDefined();
      // scsi0:1, so the first Kubernetes volume still lands on scsi1:0.
      expect(vcenter.vm(i.vmCid!)?.disks.find((d) => d.fileName === cpi.diskPath(i.disk!.cid))).toMatchObject({ controllerKey: 1000, unitNumber: 1 });
    }
    cluster.sim.clock.runFor(60_000);
    expect(record.instances.map((i) => cpi.agentResponds(i.vmCid!))).toEqual([true, true, true, true, true]);
    env.stop();
  });

  it("ties a worker's agent to its node: silent while the VM is off, back once the VM is on and the kubelet has booted", () => {
    const env = articleEnvironment({ seed: 'env', kubeSystem: false });
    const { cpi, cluster, govc } = env;
    cluster.sim.clock.runFor(60_000);
    const node = SEED_WORKER_NAMES[1]!;
    const vm = env.vmForNode.get(node)!;
    expect(E.isRight(govc.run(`vm.power -off ${vm}`))).toBe(true);
    expect(cpi.agentResponds(vm)).toBe(false);
    const is = env.bosh.runNow(`bosh -d ${env.deployment} instances`);
    expect(E.isRight(is) && is.right.some((l) => l.startsWith(`worker/${node}  unresponsive agent`))).toBe(true);
    govc.run(`vm.power -on ${vm}`);
    expect(cpi.agentResponds(vm)).toBe(false);
    cluster.sim.clock.runFor(44_000);
    expect(cpi.agentResponds(vm)).toBe(false);
    cluster.sim.clock.runFor(1_000);
    expect(cpi.agentResponds(vm)).toBe(true);
    // A partitioned node's agent cannot reach the director either.
    cluster.machines.partition(node);
    expect(cpi.agentResponds(vm)).toBe(false);
    env.stop();
  });
});
