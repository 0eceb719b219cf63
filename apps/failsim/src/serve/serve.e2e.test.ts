// End to end: the BUILT `failsim serve statefulset-node-poweroff --free --speed 60` (bin/failsim.js
// → dist, built by nx before this target's tests) as a child process, driven by real
// kubectl: the `kubectl` on PATH (on this machine the gcloud dispatcher, which runs its
// 1.32 for a 1.12 server) and kubectl.1.27 / kubectl.1.33 beside it when present. Each
// kubectl gets a fresh --cache-dir, so discovery is exercised every run. Waits poll until
// a deadline; nothing asserts on timing.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

jest.setTimeout(60_000);

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'failsim.js');
const which = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' });
const kubectlPath = which.status === 0 ? which.stdout.trim() : '';
if (!kubectlPath) console.warn('failsim serve e2e skipped: no kubectl binary on PATH');
const suite = kubectlPath ? describe : describe.skip;
/** kubectl.1.27 … kubectl.1.33 sit beside the real kubectl (the gcloud SDK layout). */
const versioned = (minor: string): string | undefined => {
  if (!kubectlPath) return undefined;
  const path = join(dirname(realpathSync(kubectlPath)), `kubectl.${minor}`);
  return existsSync(path) ? path : undefined;
};

const dir = mkdtempSync(join(tmpdir(), 'failsim-serve-e2e-'));
const kubeconfig = join(dir, 'kubeconfig');
let server: ChildProcess | undefined;
let serverOutput = '';

interface Result {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** Runs kubectl (default: the one on PATH) against the served cluster. */
const kubectl = (args: readonly string[], binary = kubectlPath): Result => {
  const cache = join(dir, `cache-${binary.replace(/\W/g, '_')}`);
  const r = spawnSync(binary, ['--cache-dir', cache, ...args], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: kubeconfig }, timeout: 45_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until `test` holds; fails with the last output at the deadline. */
const waitFor = async (what: string, probe: () => string, test: (text: string) => boolean, deadlineMs = 20_000): Promise<string> => {
  const end = Date.now() + deadlineMs;
  let text = '';
  while (Date.now() < end) {
    text = probe();
    if (test(text)) return text;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}; last output:\n${text}`);
};

/** The row of `name` in a kubectl table, split on runs of spaces. */
const row = (table: string, name: string): string[] | undefined =>
  table
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}|\s(?=\S)/))
    .find((cells) => cells.includes(name));

suite('failsim serve driven by real kubectl', () => {
  beforeAll(async () => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: build failsim first (nx run failsim:build)`);
    server = spawn(process.execPath, [bin, 'serve', 'statefulset-node-poweroff', '--port', '0', '--free', '--speed', '60', '--kubeconfig', kubeconfig], { stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (chunk: Buffer) => (serverOutput += chunk.toString('utf8')));
    server.stderr!.on('data', (chunk: Buffer) => (serverOutput += chunk.toString('utf8')));
    const end = Date.now() + 20_000;
    while (!/kubeconfig: /.test(serverOutput) && Date.now() < end) await sleep(50);
    expect(serverOutput).toMatch(/^failsim serve: statefulset-node-poweroff \(Kubernetes v1\.12\.4\) at http:\/\/127\.0\.0\.1:\d+, speed 60x, free run$/m);
    // The StatefulSet's pod runs within seconds at 60x.
    await waitFor('cassandra-0 Running', () => kubectl(['get', 'pods', '-n', 'cassandra']).out, (t) => /cassandra-0\s+1\/1\s+Running/.test(t));
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise<number | null>((resolve) => server!.once('exit', (code) => resolve(code)));
      server.kill('SIGTERM');
      // SIGTERM ends the session cleanly, with exit code 0.
      expect(await exited).toBe(0);
      expect(serverOutput).toMatch(/failsim serve: stopped\n$/);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('get nodes -o wide prints the server-side Table with its wide columns', () => {
    const { out, code } = kubectl(['get', 'nodes', '-o', 'wide']);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/);
    expect(out).toMatch(/^worker-0\s+Ready\s+<none>\s+\S+\s+v1\.12\.4\s+10\.27\.51\.186\s+<none>\s+Ubuntu 16\.04\.5 LTS\s+4\.15\.0-43-generic\s+docker:\/\/18\.6\.1$/m);
  });

  it('get pods -A -o wide has NAMESPACE (from the row objects) and the wide pod columns', () => {
    const { out } = kubectl(['get', 'pods', '-A', '-o', 'wide']);
    expect(out.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    expect(out).toMatch(/^cassandra\s+cassandra-0\s+1\/1\s+Running\s+0\s+\S+\s+10\.\d+\.\d+\.\d+\s+worker-\d\s+<none>\s+<none>$/m);
    expect(out).toMatch(/^kube-system\s+kube-proxy-\w+\s+1\/1\s+Running/m);
  });

  it('get pvc,pv prints both tables with kind prefixes', () => {
    const { out } = kubectl(['get', 'pvc,pv', '-n', 'cassandra']);
    expect(out).toMatch(/^persistentvolumeclaim\/cassandra-data-cassandra-0\s+Bound\s+pvc-[0-9a-f-]+\s+1Gi\s+RWO\s+cass-sc\s+\S+$/m);
    expect(out).toMatch(/^persistentvolume\/pvc-[0-9a-f-]+\s+1Gi\s+RWO\s+Delete\s+Bound\s+cassandra\/cassandra-data-cassandra-0\s+cass-sc\s+\S+$/m);
  });

  it('describe pod shows the pod and its Events (field selector on involvedObject)', () => {
    const { out, code } = kubectl(['describe', 'pod', 'cassandra-0', '-n', 'cassandra']);
    expect(code).toBe(0);
    expect(out).toMatch(/^Name:\s+cassandra-0$/m);
    expect(out).toMatch(/^Status:\s+Running$/m);
    expect(out).toMatch(/^Events:$/m);
    expect(out).toMatch(/Normal\s+Scheduled\s+.*default-scheduler\s+Successfully assigned cassandra\/cassandra-0 to worker-\d/);
    expect(out).not.toMatch(/kube-proxy/);
  });

  it('get events --sort-by=.lastTimestamp sorts on the row objects', () => {
    const { out, code, err } = kubectl(['get', 'events', '-n', 'cassandra', '--sort-by=.lastTimestamp']);
    expect(err).not.toMatch(/panic/);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(lines.findIndex((l) => /Scheduled/.test(l))).toBeLessThan(lines.findIndex((l) => /\sStarted\s/.test(l)));
  });

  it('cordon and uncordon patch spec.unschedulable', () => {
    expect(kubectl(['cordon', 'worker-3']).out).toBe('node/worker-3 cordoned\n');
    expect(row(kubectl(['get', 'node', 'worker-3']).out, 'worker-3')).toContain('Ready,SchedulingDisabled');
    expect(kubectl(['cordon', 'worker-3']).out).toBe('node/worker-3 already cordoned\n');
    expect(kubectl(['uncordon', 'worker-3']).out).toBe('node/worker-3 uncordoned\n');
    expect(row(kubectl(['get', 'node', 'worker-3']).out, 'worker-3')).toContain('Ready');
  });

  it('taint node … out-of-service=nodeshutdown:NoExecute, and untaint', () => {
    const taint = 'node.kubernetes.io/out-of-service=nodeshutdown:NoExecute';
    expect(kubectl(['taint', 'node', 'worker-3', taint]).out).toBe('node/worker-3 tainted\n');
    expect(kubectl(['describe', 'node', 'worker-3']).out).toMatch(/^Taints:\s+node\.kubernetes\.io\/out-of-service=nodeshutdown:NoExecute$/m);
    expect(kubectl(['taint', 'node', 'worker-3', `${taint}-`]).out).toBe('node/worker-3 untainted\n');
  });

  it('get pods -w shows a change the simulation makes (the ReplicaSet controller replacing a deleted pod)', async () => {
    const before = kubectl(['get', 'pods', '-n', 'kube-system', '-o', 'name']).out.split('\n').filter((n) => n.includes('coredns'));
    const watch = spawn(kubectlPath, ['--cache-dir', join(dir, 'cache-watch'), 'get', 'pods', '-n', 'kube-system', '-w'], { env: { ...process.env, KUBECONFIG: kubeconfig } });
    let out = '';
    watch.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    try {
      await waitFor('the watch to list', () => out, (t) => /^NAME\s+READY\s+STATUS/m.test(t));
      const victim = before[0]!.replace('pod/', '');
      expect(kubectl(['delete', 'pod', victim, '-n', 'kube-system', '--wait=false']).out).toBe(`pod "${victim}" deleted\n`);
      const replaced = await waitFor(
        'a new coredns pod Running in the watch',
        () => out,
        (t) => t.split('\n').some((l) => /^coredns-\S+\s+1\/1\s+Running/.test(l) && !before.includes(`pod/${l.split(/\s+/)[0]}`)),
      );
      expect(replaced).toMatch(new RegExp(`^${victim}\\s+1/1\\s+Terminating`, 'm'));
      expect(replaced).toMatch(/^coredns-\S+\s+0\/1\s+(Pending|ContainerCreating)/m);
    } finally {
      watch.kill('SIGTERM');
    }
  });

  it('drain --ignore-daemonsets --delete-emptydir-data evicts through pods/eviction', () => {
    const { out, err, code } = kubectl(['drain', 'worker-1', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=40s']);
    expect(err).toMatch(/^Warning: ignoring DaemonSet-managed Pods: kube-system\/kube-flannel-ds-amd64-\w+, kube-system\/kube-proxy-\w+$/m);
    expect(out).toMatch(/^node\/worker-1 cordoned$/m);
    expect(out).toMatch(/^evicting pod kube-system\/coredns-\S+$/m);
    expect(out).toMatch(/^pod\/coredns-\S+ evicted$/m);
    expect(out).toMatch(/^node\/worker-1 drained$/m);
    expect(code).toBe(0);
  });

  it('delete pod --force --grace-period=0 removes it at once; the StatefulSet makes a new one', async () => {
    const uid = kubectl(['get', 'pod', 'cassandra-0', '-n', 'cassandra', '-o', 'jsonpath={.metadata.uid}']).out;
    const { out, err } = kubectl(['delete', 'pod', 'cassandra-0', '-n', 'cassandra', '--force', '--grace-period=0']);
    expect(err).toMatch(/Immediate deletion does not wait for confirmation that the running resource has been terminated/);
    expect(out).toBe('pod "cassandra-0" force deleted\n');
    await waitFor('a new cassandra-0', () => kubectl(['get', 'pod', 'cassandra-0', '-n', 'cassandra', '-o', 'jsonpath={.metadata.uid}']).out, (t) => t !== '' && t !== uid);
  });

  it('delete node removes it; a get then answers NotFound', () => {
    expect(kubectl(['delete', 'node', 'worker-3']).out).toBe('node "worker-3" deleted\n');
    const gone = kubectl(['get', 'node', 'worker-3']);
    expect(gone.code).toBe(1);
    expect(gone.err).toBe('Error from server (NotFound): nodes "worker-3" not found\n');
  });

  for (const minor of ['1.27', '1.33']) {
    const binary = versioned(minor);
    (binary ? it : it.skip)(`kubectl ${minor}: get nodes, get pods -A, describe pod`, () => {
      const nodes = kubectl(['get', 'nodes'], binary);
      expect(nodes.out).toMatch(/^worker-1\s+Ready,SchedulingDisabled\s+<none>\s+\S+\s+v1\.12\.4$/m);
      const pods = kubectl(['get', 'pods', '-A'], binary);
      expect(pods.out.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
      expect(pods.out).toMatch(/^kube-system\s+kube-proxy-\w+\s+1\/1\s+Running\s+0\s+\S+$/m);
      // The pod on worker-0: the first kube-proxy listed may be worker-3's, which the pod GC
      // deletes a moment after the node (deleted above), between the list and the describe.
      const proxy = kubectl(['get', 'pods', '-n', 'kube-system', '--field-selector', 'spec.nodeName=worker-0', '-o', 'name'], binary);
      const name = proxy.out.match(/kube-proxy-\w+/)![0];
      const describe = kubectl(['describe', 'pod', '-n', 'kube-system', name], binary);
      expect(describe).toMatchObject({ code: 0 });
      expect(describe.out).toMatch(/^Controlled By:\s+DaemonSet\/kube-proxy$/m);
      expect(describe.out).toMatch(/^Events:/m);
    });
  }
});
