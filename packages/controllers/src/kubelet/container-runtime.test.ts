import { describe, expect, it } from '@jest/globals';
import { SeededRandom, SimClock } from '@failsim/core';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ContainerRuntime, KeptPodParts, keptPod } from './container-runtime.js';

const setup = (images: string[] = []) => {
  const clock = new SimClock();
  const runtime = new ContainerRuntime({
    clock,
    random: new SeededRandom('rt'),
    nodeName: 'w1',
    runtimeVersion: 'docker://18.6.1',
    podCIDR: '10.200.3.0/24',
    hostIP: '10.0.0.13',
    images,
  });
  return { clock, runtime };
};

const pod = (uid: string, hostNetwork = false): Pod => ({
  metadata: { name: `p-${uid}`, namespace: 'default', uid },
  spec: { containers: [{ name: 'app', image: 'nginx:1.17' }], ...(hostNetwork ? { hostNetwork } : {}) },
});

describe('ContainerRuntime sandboxes', () => {
  it('hands out pod IPs round-robin from .2 of the pod CIDR, host IP for host-network pods', () => {
    const { runtime } = setup();
    expect(runtime.runSandbox(pod('a')).ip).toBe('10.200.3.2');
    expect(runtime.runSandbox(pod('b')).ip).toBe('10.200.3.3');
    expect(runtime.runSandbox(pod('h', true)).ip).toBe('10.0.0.13');
    runtime.stopSandbox('a');
    // host-local continues after the last address it reserved, it does not reuse .2 at once.
    expect(runtime.runSandbox(pod('c')).ip).toBe('10.200.3.4');
    expect(runtime.pod('a')?.sandbox?.ready).toBe(false);
  });
});

describe('ContainerRuntime pod IPs', () => {
  it('writes each address in full across a /24 boundary of a larger pod CIDR', () => {
    const runtime = new ContainerRuntime({
      clock: new SimClock(),
      random: new SeededRandom('rt'),
      nodeName: 'w1',
      runtimeVersion: 'docker://18.6.1',
      podCIDR: '10.200.2.0/23',
      hostIP: '10.0.0.13',
    });
    const ips = Array.from({ length: 256 }, (_, i) => runtime.runSandbox(pod(`p${i}`)).ip);
    expect(ips.slice(0, 2)).toEqual(['10.200.2.2', '10.200.2.3']);
    expect(ips.slice(252)).toEqual(['10.200.2.254', '10.200.2.255', '10.200.3.0', '10.200.3.1']);
  });
});

describe('ContainerRuntime sandbox members', () => {
  // The newest sandbox is held as members of the pod record: the object `sandbox` builds,
  // readySandboxId and hasSandbox must tell what a replaced sandbox object used to.
  it('tells the same sandbox through run, stop, a new sandbox and a power-off', () => {
    const { clock, runtime } = setup();
    expect(runtime.pod('a')?.sandbox).toBeUndefined();
    expect([runtime.readySandboxId('a'), runtime.hasSandbox('a')]).toEqual([undefined, false]);
    clock.runFor(250);
    const first = runtime.runSandbox(pod('a'));
    expect(runtime.pod('a')?.sandbox).toEqual({ id: first.id, ip: '10.200.3.2', ready: true, createdAt: 250 });
    expect(Object.keys(runtime.pod('a')?.sandbox ?? {})).toEqual(['id', 'ip', 'ready', 'createdAt']);
    expect([runtime.readySandboxId('a'), runtime.hasSandbox('a')]).toEqual([first.id, true]);
    expect(runtime.pod('a')?.readySandboxId()).toBe(first.id);
    runtime.stopSandbox('a');
    expect(runtime.pod('a')?.readySandboxId()).toBeUndefined();
    expect(runtime.pod('a')?.sandbox).toEqual({ ...first, ready: false });
    expect([runtime.readySandboxId('a'), runtime.hasSandbox('a')]).toEqual([undefined, true]);
    clock.runFor(100);
    const second = runtime.runSandbox(pod('a'));
    expect(second.id).not.toBe(first.id);
    expect(runtime.pod('a')?.sandbox).toEqual({ id: second.id, ip: '10.200.3.3', ready: true, createdAt: 350 });
    const c = runtime.createContainer('a', { name: 'app', image: 'nginx:1.17' }, 0);
    expect(c.sandboxId).toBe(second.id);
    runtime.powerOff();
    expect(runtime.pod('a')?.sandbox).toEqual({ ...second, ready: false });
    expect([runtime.readySandboxId('a'), runtime.hasSandbox('a')]).toEqual([undefined, true]);
    expect(runtime.pod('a')?.readySandboxId()).toBeUndefined();
  });
});

describe('ContainerRuntime attempts kept without a list of one', () => {
  // A record holds a single attempt without a list: `containers`, latest and
  // hasLiveContainer must tell what the list of every attempt tells, at every step.
  it('agrees with the list of attempts through create, start, restart, stop and power-off', () => {
    const { clock, runtime } = setup();
    const check = (uid: string) => {
      const list = runtime.pod(uid)?.containers ?? [];
      const newest = (name: string) => [...list].reverse().find((c) => c.name === name);
      expect(runtime.latest(uid, 'app')).toBe(newest('app'));
      expect(runtime.latest(uid, 'side')).toBe(newest('side'));
      expect(runtime.hasLiveContainer(uid)).toBe(list.some((c) => c.state !== 'exited'));
      expect(runtime.pod(uid)?.hasLive() ?? false).toBe(runtime.hasLiveContainer(uid));
    };
    runtime.runSandbox(pod('a'));
    expect(runtime.pod('a')?.containers).toEqual([]);
    check('a');
    const first = runtime.createContainer('a', { name: 'app', image: 'nginx:1.17' }, 0);
    expect(runtime.pod('a')?.containers).toEqual([first]);
    check('a');
    clock.runFor(10);
    runtime.startContainer('a', first.id, { afterMs: 100, exitCode: 1 });
    check('a');
    clock.runFor(100);
    check('a');
    const second = runtime.createContainer('a', { name: 'app', image: 'nginx:1.17' }, 1);
    expect(runtime.pod('a')?.containers.map((c) => [c.id, c.state])).toEqual([
      [first.id, 'exited'],
      [second.id, 'created'],
    ]);
    check('a');
    const side = runtime.createContainer('a', { name: 'side', image: 'nginx:1.17' }, 0);
    runtime.startContainer('a', side.id);
    check('a');
    runtime.stopContainer('a', side.id, 50, 0);
    check('a');
    runtime.powerOff();
    expect(runtime.pod('a')?.containers.map((c) => c.state)).toEqual(['exited', 'exited', 'exited']);
    check('a');
    expect(runtime.hasLiveContainer('nope')).toBe(false);
  });
});

describe('ContainerRuntime containers', () => {
  it('creates, starts and lets a container exit on its own, telling listeners', () => {
    const { clock, runtime } = setup();
    const exits: string[] = [];
    runtime.onContainerExit((uid) => exits.push(`${uid}@${clock.now()}`));
    runtime.runSandbox(pod('a'));
    const c = runtime.createContainer('a', { name: 'app', image: 'nginx:1.17' }, 0);
    expect(c.id).toMatch(/^docker:\/\/[0-9a-f]{64}$/);
    expect(c.imageID).toMatch(/^docker-pullable:\/\/nginx@sha256:[0-9a-f]{64}$/);
    clock.runFor(100);
    runtime.startContainer('a', c.id, { afterMs: 5_000, exitCode: 2 });
    expect(runtime.latest('a', 'app')).toMatchObject({ state: 'running', startedAt: 100 });
    clock.runFor(5_000);
    expect(runtime.latest('a', 'app')).toMatchObject({ state: 'exited', finishedAt: 5_100, exitCode: 2, reason: 'Error' });
    expect(exits).toEqual(['a@5100']);
    const next = runtime.createContainer('a', { name: 'app', image: 'nginx:1.17' }, 1);
    expect(runtime.latest('a', 'app')).toBe(next);
    expect(runtime.pod('a')?.containers).toHaveLength(2);
  });

  it('stops a container after the time asked, keeping an earlier deadline when asked again', () => {
    const { clock, runtime } = setup();
    runtime.runSandbox(pod('a'));
    const c = runtime.createContainer('a', { name: 'app', image: 'nginx:1.17' }, 0);
    runtime.startContainer('a', c.id, { afterMs: 60_000, exitCode: 1 });
    runtime.stopContainer('a', c.id, 1_000, 0);
    runtime.stopContainer('a', c.id, 30_000, 137);
    expect(runtime.latest('a', 'app')?.stoppingUntil).toBe(1_000);
    clock.runFor(1_000);
    expect(runtime.latest('a', 'app')).toMatchObject({ state: 'exited', exitCode: 0, reason: 'Completed', finishedAt: 1_000 });
    expect(runtime.latest('a', 'app')?.stoppingUntil).toBeUndefined();
    clock.runFor(60_000);
    expect(runtime.latest('a', 'app')?.exitCode).toBe(0);
  });

  it('forgets a removed pod and frees its IP', () => {
    const { runtime } = setup();
    runtime.runSandbox(pod('a'));
    runtime.removePod('a');
    expect(runtime.pod('a')).toBeUndefined();
    expect(runtime.pods()).toEqual([]);
  });
});

describe('ContainerRuntime images', () => {
  // The store is searched by the process's shared entry of an image: an equal string made
  // elsewhere finds it, and an image another node holds is not in this node's store.
  it('finds an image by its name, whatever string holds it, in its own store only', () => {
    const { clock, runtime } = setup(['pause:3.1']);
    const { runtime: other } = setup(['registry.local/web-7:1.0']);
    const name = ['registry.local/web-', 7, ':1.0'].join('');
    expect([other.hasImage(name), runtime.hasImage(name)]).toEqual([true, false]);
    expect(runtime.hasImage(['pause', '3.1'].join(':'))).toBe(true);
    expect(runtime.pullImage(name, 1_000)).toBe(1_000);
    clock.runFor(1_000);
    expect([runtime.hasImage('registry.local/web-7:1.0'), runtime.hasImage('registry.local/web-8:1.0')]).toEqual([true, false]);
    expect(runtime.images().find((i) => i.names[1] === name)).toBe(other.images().find((i) => i.names[1] === name));
  });

  it('pulls one image at a time; a second pull of the same image joins the first', () => {
    const { clock, runtime } = setup(['pause:3.1']);
    expect(runtime.hasImage('pause:3.1')).toBe(true);
    expect(runtime.pullImage('pause:3.1', 4_000)).toBe(0);
    expect(runtime.pullImage('nginx:1.17', 4_000)).toBe(4_000);
    expect(runtime.pullImage('redis:5', 4_000)).toBe(8_000);
    expect(runtime.pullImage('nginx:1.17', 4_000)).toBe(4_000);
    clock.runFor(4_000);
    expect([runtime.hasImage('nginx:1.17'), runtime.hasImage('redis:5')]).toEqual([true, false]);
    clock.runFor(4_000);
    expect(runtime.images().map((i) => i.names[1]).sort()).toEqual(['nginx:1.17', 'pause:3.1', 'redis:5']);
    const sizes = runtime.images().map((i) => i.sizeBytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });
});

describe('ContainerRuntime image entries', () => {
  it('shares one frozen entry per image across runtimes: the image id without its scheme, then the image', () => {
    const a = setup(['pause:3.1', 'nginx:1.17']).runtime;
    const b = setup(['nginx:1.17']).runtime;
    const nginxA = a.images().find((i) => i.names[1] === 'nginx:1.17');
    const nginxB = b.images().find((i) => i.names[1] === 'nginx:1.17');
    expect(nginxA).toBeDefined();
    expect(nginxB).toBe(nginxA);
    expect(Object.isFrozen(nginxA)).toBe(true);
    expect(Object.isFrozen(nginxA?.names)).toBe(true);
    // What each runtime computed for itself before: the image id with docker-pullable:// cut off.
    expect(nginxA?.names).toEqual([a.imageID('nginx:1.17').replace(/^docker-pullable:\/\//, ''), 'nginx:1.17']);
    expect(nginxA?.names[0]).toMatch(/^nginx@sha256:[0-9a-f]{64}$/);
  });
});

describe('ContainerRuntime images order', () => {
  it('keeps the list sorted as a full sort would, one pull at a time, and the same array between pulls', () => {
    const preloaded = ['pause:3.1', 'b/app:1', 'a/app:1'];
    const pulled = ['nginx:1.17', 'redis:5', 'busybox:1.31', 'b/app:2', 'a/app:2', 'cassandra:v11', 'zookeeper:3.4'];
    const { clock, runtime } = setup(preloaded);
    const first = runtime.images();
    expect(runtime.images()).toBe(first);
    for (const image of pulled) {
      runtime.pullImage(image, 1_000);
      clock.runFor(1_000);
    }
    const all = setup([...preloaded, ...pulled]).runtime.images();
    expect(runtime.images().map((i) => i.names[1])).toEqual(all.map((i) => i.names[1]));
    expect(Object.isFrozen(runtime.images())).toBe(true);
    expect(runtime.images()).toBe(runtime.images());
  });
});

describe('ContainerRuntime power-off', () => {
  it('kills every container where it stood (exit 255), ends sandboxes and pulls, keeps images and records', () => {
    const { clock, runtime } = setup(['nginx:1.17']);
    runtime.runSandbox(pod('a'));
    const c = runtime.createContainer('a', { name: 'app', image: 'nginx:1.17' }, 0);
    runtime.startContainer('a', c.id, { afterMs: 10_000, exitCode: 1 });
    runtime.pullImage('redis:5', 4_000);
    clock.runFor(2_000);
    runtime.powerOff();
    expect(runtime.latest('a', 'app')).toMatchObject({ state: 'exited', exitCode: 255, reason: 'Error', finishedAt: 2_000 });
    expect(runtime.pod('a')?.sandbox?.ready).toBe(false);
    clock.runFor(20_000);
    expect(runtime.latest('a', 'app')?.finishedAt).toBe(2_000);
    expect(runtime.hasImage('redis:5')).toBe(false);
    expect(runtime.hasImage('nginx:1.17')).toBe(true);
    // After the boot the pull starts afresh.
    expect(runtime.pullImage('redis:5', 4_000)).toBe(26_000);
  });
});

describe('ContainerRuntime memory and change tracking', () => {
  it('moves its generation on every container or pod change, not on sandbox or image changes', () => {
    const { clock, runtime } = setup(['nginx:1.17']);
    const g0 = runtime.generation;
    runtime.runSandbox(pod('a'));
    const g1 = runtime.generation;
    expect(g1).not.toBe(g0);
    const c = runtime.createContainer('a', { name: 'app', image: 'nginx:1.17' }, 0);
    const g2 = runtime.generation;
    expect(g2).not.toBe(g1);
    runtime.startContainer('a', c.id);
    const g3 = runtime.generation;
    expect(g3).not.toBe(g2);
    runtime.pullImage('busybox:1', 1_000);
    clock.runFor(2_000);
    expect(runtime.generation).toBe(g3);
    runtime.stopContainer('a', c.id, 500, 0);
    const g4 = runtime.generation;
    expect(g4).not.toBe(g3);
    clock.runFor(500);
    const g5 = runtime.generation;
    expect(g5).not.toBe(g4);
    runtime.stopSandbox('a');
    expect(runtime.generation).toBe(g5);
    runtime.removePod('a');
    expect(runtime.generation).not.toBe(g5);
  });

  it('keeps a pod without its status, and shares one image id string per image across nodes', () => {
    const { runtime } = setup(['nginx:1.17']);
    const other = setup(['nginx:1.17']).runtime;
    const withStatus: Pod = { apiVersion: 'v1', kind: 'Pod', ...pod('a'), status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] } };
    runtime.runSandbox(withStatus);
    const kept = runtime.pod('a')?.pod;
    expect(kept).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: withStatus.metadata, spec: withStatus.spec });
    expect(kept?.metadata).toBe(withStatus.metadata);
    expect(keptPod(kept as Pod)).toBe(kept);
    const c1 = runtime.createContainer('a', { name: 'app', image: 'nginx:1.17' }, 0);
    other.runSandbox(pod('b'));
    const c2 = other.createContainer('b', { name: 'app', image: 'nginx:1.17' }, 0);
    expect(c1.imageID).toBe(c2.imageID);
    expect(c1.imageID).toMatch(/^docker-pullable:\/\/nginx@sha256:[0-9a-f]{64}$/);
    expect(c1.id).toMatch(/^docker:\/\/[0-9a-f]{64}$/);
  });
});

describe('ContainerRuntime ids and addresses', () => {
  // The ids were built as eight `n.toString(16).padStart(8, '0')` draws joined; they are
  // now written from character codes: the same draws must give the same text.
  const expectedId = (random: SeededRandom, prefix = ''): string => {
    let id = prefix;
    for (let i = 0; i < 8; i++) id += random.int(0, 2 ** 32).toString(16).padStart(8, '0');
    return id;
  };

  it('draws sandbox and container ids as 64 zero-padded hex digits, in the order of the draws', () => {
    const { runtime } = setup();
    const mirror = new SeededRandom('rt');
    for (let i = 0; i < 50; i++) {
      const sandbox = runtime.runSandbox(pod(`u${i}`));
      expect(sandbox.id).toBe(expectedId(mirror));
      const created = runtime.createContainer(`u${i}`, { name: 'app', image: 'nginx:1.17' }, 0);
      expect(created.id).toBe(expectedId(mirror, 'docker://'));
      expect(created.id).toMatch(/^docker:\/\/[0-9a-f]{64}$/);
    }
  });

  it('formats sandbox addresses as dotted quads across the CIDR', () => {
    const clock = new SimClock();
    const runtime = new ContainerRuntime({ clock, random: new SeededRandom('rt'), nodeName: 'w1', runtimeVersion: 'docker://18.6.1', podCIDR: '10.200.255.0/23', hostIP: '10.0.0.13' });
    const ips = Array.from({ length: 300 }, (_, i) => runtime.runSandbox(pod(`u${i}`)).ip);
    expect(ips[0]).toBe('10.200.255.2');
    expect(ips[253]).toBe('10.200.255.255');
    expect(ips[254]).toBe('10.201.0.0');
    expect(ips[299]).toBe('10.201.0.45');
  });
});

describe('ContainerRuntime container records', () => {
  // The records are built as literals (one hidden class per state, not one per record after
  // a power-off); these pin that they hold exactly what the spreads they replace gave, in
  // the same order (a power-off's `stoppingUntil: undefined` aside, which reads the same).
  const running = () => {
    const { clock, runtime } = setup();
    runtime.runSandbox(pod('a'));
    const c = runtime.createContainer('a', { name: 'app', image: 'nginx:1.17' }, 3);
    clock.runFor(100);
    runtime.startContainer('a', c.id);
    clock.runFor(400);
    return { clock, runtime, c: runtime.latest('a', 'app')! };
  };
  const entries = (o: object | undefined) => Object.entries(o ?? {});

  it('a stopping container is the running record and its deadline', () => {
    const { runtime, c } = running();
    runtime.stopContainer('a', c.id, 1_000, 0);
    expect(entries(runtime.latest('a', 'app'))).toEqual(entries(Object.assign({}, c, { stoppingUntil: 1_500 })));
  });

  it('an exited container is the record without its deadline and with the exit', () => {
    const { clock, runtime, c } = running();
    runtime.stopContainer('a', c.id, 1_000, 137);
    const stopping = runtime.latest('a', 'app')!;
    clock.runFor(1_000);
    const { stoppingUntil: _, ...rest } = stopping;
    const old = Object.assign({}, rest, { state: 'exited', finishedAt: 1_500, exitCode: 137, reason: 'Error' });
    expect(entries(runtime.latest('a', 'app'))).toEqual(entries(old));
  });

  it('a power-off leaves running, stopping and created containers exited with 255', () => {
    const { clock, runtime, c } = running();
    runtime.stopContainer('a', c.id, 10_000, 0);
    const stopping = runtime.latest('a', 'app')!;
    runtime.runSandbox(pod('b'));
    const created = runtime.createContainer('b', { name: 'app', image: 'nginx:1.17' }, 0);
    clock.runFor(50);
    runtime.powerOff();
    for (const [uid, before] of [['a', stopping], ['b', created]] as const) {
      const old: Record<string, unknown> = { ...before, state: 'exited', finishedAt: 550, exitCode: 255, reason: 'Error', stoppingUntil: undefined };
      delete old['stoppingUntil'];
      expect(entries(runtime.latest(uid, 'app'))).toEqual(entries(old));
    }
    expect(runtime.latest('b', 'app')?.startedAt).toBeUndefined();
    expect('startedAt' in runtime.latest('b', 'app')!).toBe(false);
  });
});

describe('ContainerRuntime pod records', () => {
  it('give back keptPod of the pod last given a sandbox: same members, same order, same objects', () => {
    const { runtime } = setup();
    const first: Pod = { apiVersion: 'v1', kind: 'Pod', ...pod('a'), status: { phase: 'Pending' } };
    runtime.runSandbox(first);
    const rp = runtime.pod('a');
    expect(Object.entries(rp?.pod ?? {})).toEqual(Object.entries(keptPod(first)));
    expect([rp?.uid, rp?.namespace, rp?.name]).toEqual(['a', 'default', 'p-a']);
    // A status write alone keeps the record's metadata; a new metadata (resourceVersion) replaces it.
    runtime.runSandbox({ ...first, status: { phase: 'Running' } });
    expect(runtime.pod('a')?.pod.metadata).toBe(first.metadata);
    const later: Pod = { ...first, metadata: { ...first.metadata, resourceVersion: '7' } };
    runtime.runSandbox(later);
    expect(runtime.pod('a')?.pod.metadata).toBe(later.metadata);
    // Another apiVersion/kind (or none) is kept as keptPod keeps it; a status-less pod is kept as given.
    const odd: Pod = { ...pod('b'), kind: 'Pod', status: {} };
    runtime.runSandbox(odd);
    expect(Object.entries(runtime.pod('b')?.pod ?? {})).toEqual(Object.entries(keptPod(odd)));
    const bare = pod('c');
    runtime.runSandbox(bare);
    expect(runtime.pod('c')?.pod).toBe(bare);
  });
});

describe('KeptPodParts', () => {
  it('gives back keptPod of the pod last kept, whichever pods it kept before', () => {
    const v1: Pod = { apiVersion: 'v1', kind: 'Pod', ...pod('a'), status: { phase: 'Pending' } };
    const odd: Pod = { ...pod('a'), kind: 'Pod', status: {} };
    const bare = pod('a');
    const sequences: Pod[][] = [[v1], [odd], [bare], [v1, odd], [odd, v1], [bare, v1], [v1, bare], [bare, odd, v1], [v1, bare, odd]];
    for (const pods of sequences) {
      const kept = new KeptPodParts(pods[0]!);
      for (const p of pods.slice(1)) kept.keep(p);
      const last = pods[pods.length - 1]!;
      expect(Object.entries(kept.pod)).toEqual(Object.entries(keptPod(last)));
      if (last.status === undefined) expect(kept.pod).toBe(last);
      expect(kept.keeps(last)).toBe(true);
      expect(kept.keeps({ ...last, metadata: { ...last.metadata } })).toBe(false);
      expect([kept.uid, kept.namespace, kept.name]).toEqual(['a', 'default', 'p-a']);
    }
  });

  it('keeps what is not v1/Pod per object: one kept oddly does not change another', () => {
    // The unusual kinds live in a side table keyed by the parts object, not in a member.
    const v1: Pod = { apiVersion: 'v1', kind: 'Pod', ...pod('a'), status: {} };
    const bare = pod('b');
    const plain = new KeptPodParts(v1);
    const given = new KeptPodParts(bare);
    expect(given.pod).toBe(bare);
    expect(Object.entries(plain.pod)).toEqual(Object.entries(keptPod(v1)));
    given.keep(v1);
    plain.keep(bare);
    expect(plain.pod).toBe(bare);
    expect(Object.entries(given.pod)).toEqual(Object.entries(keptPod(v1)));
  });
});

describe('ContainerRuntime IPAM', () => {
  it('hands out and takes back addresses as a set of addresses in use would, across wrap-arounds and power-offs', () => {
    const clock = new SimClock();
    const runtime = new ContainerRuntime({ clock, random: new SeededRandom('ipam'), nodeName: 'w1', runtimeVersion: 'docker://18.6.1', podCIDR: '10.200.3.0/28', hostIP: '10.0.0.13' });
    // The reference: host-local's round-robin over a set, 13 addresses from .2.
    const inUse = new Set<number>();
    let last = -1;
    const expected = (): string => {
      for (let i = 1; i <= 13; i++) {
        const c = (last + i) % 13;
        if (!inUse.has(c)) {
          inUse.add(c);
          last = c;
          return `10.200.3.${2 + c}`;
        }
      }
      throw new Error('full');
    };
    const random = new SeededRandom('steps');
    const running = new Map<string, string>();
    for (let step = 0; step < 200; step++) {
      const uid = `u${random.int(0, 20)}`;
      if (step === 120) {
        runtime.powerOff();
        inUse.clear();
        running.clear();
      } else if (running.has(uid)) {
        runtime.stopSandbox(uid);
        inUse.delete(Number(running.get(uid)!.split('.')[3]) - 2);
        running.delete(uid);
      } else if (running.size < 13) {
        const ip = runtime.runSandbox(pod(uid)).ip;
        expect(ip).toBe(expected());
        running.set(uid, ip);
      }
    }
  });
});
