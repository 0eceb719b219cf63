// The seed article's StatefulSet power-off, typed with real kubectl against the BUILT
// `failsim serve statefulset-node-poweroff --free` (bin/failsim.js → dist) at the article's
// moments, compared with what the article prints (testdata/article-kubectl.txt, excerpts
// with their seed line numbers). The clock is paused at once and moved only through the
// control endpoint (control.ts), so every moment is the same virtual time on every run:
// T+5m19s the steady state; the worker VM powered off (govc, through /failsim/v1/commands);
// +40 s still Ready, +50 s NotReady; +5 min more the pod Terminating with NodeLost;
// `kubectl delete node`; +30 s the new pod Pending with the Multi-Attach error; +7 min
// Running after the 6 minute force detach. Skipped, saying so, where no kubectl is on PATH.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

jest.setTimeout(60_000);

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', '..', 'bin', 'failsim.js');
const which = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' });
const kubectlPath = which.status === 0 ? which.stdout.trim() : '';
if (!kubectlPath) console.warn('failsim serve article e2e skipped: no kubectl binary on PATH');
const suite = kubectlPath ? describe : describe.skip;

// ---- the fixture ------------------------------------------------------------------

interface Section {
  readonly id: string;
  readonly mode: 'lines' | 'events';
  /** The article's lines, each with whether failsim is known not to print it (`~`). */
  readonly lines: readonly { readonly text: string; readonly absent: boolean }[];
  readonly instead: readonly (readonly [string, string])[];
}

const parseFixture = (text: string): Map<string, Section> => {
  const sections = new Map<string, Section>();
  let current: { id: string; mode: 'lines' | 'events'; lines: { text: string; absent: boolean }[]; instead: [string, string][] } | undefined;
  for (const line of text.split('\n')) {
    const header = /^=== (\S+) \[(lines|events)\]$/.exec(line);
    if (header) {
      current = { id: header[1]!, mode: header[2] as 'lines' | 'events', lines: [], instead: [] };
      sections.set(current.id, current);
      continue;
    }
    if (!current || line.startsWith('#') || line.trim() === '') continue;
    const instead = /^@instead "(.*)" => "(.*)"/.exec(line);
    if (instead) current.instead.push([instead[1]!, instead[2]!]);
    else if (line.startsWith('~ ')) current.lines.push({ text: line.slice(2), absent: true });
    else current.lines.push({ text: line, absent: false });
  }
  return sections;
};

const fixture = parseFixture(readFileSync(join(here, 'testdata', 'article-kubectl.txt'), 'utf8'));

/**
 * What may differ between the article's cluster and the simulated one: generated names
 * (node UUIDs vs worker-N, pvc and pod UIDs, the vSAN folder, the revision hash), IPs,
 * ages, dates, and column padding (which follows the names' widths).
 */
const normalise = (line: string): string =>
  line
    .replace(/controller-revision-hash=\S+/g, 'controller-revision-hash=<hash>')
    .replace(/\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}\b/g, '<date>')
    .replace(/\] [^\s/]+\/kubernetes-dynamic-/g, '] <folder>/kubernetes-dynamic-')
    .replace(/pvc-[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}/g, 'pvc-<uid>')
    .replace(/\([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\)/g, '(<uid>)')
    .replace(/\b[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\b/g, '<node>')
    .replace(/\b(?:worker|master)-\d+\b/g, '<node>')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, '<ip>')
    .replace(/<invalid>|\b\d+[ydhms](?:\d+[dhms])?\b/g, '<age>')
    .replace(/\s+/g, ' ')
    .trim();

interface Comparison {
  readonly matched: string[];
  /** Article lines failsim does not print although it should (must stay empty). */
  readonly differing: string[];
  /** `~` lines: absent as the fixture says. */
  readonly absentAsKnown: string[];
  /** `~` lines failsim now prints after all (the fixture is out of date). */
  readonly unexpectedlyPresent: string[];
  readonly deviations: string[];
}

const eventMatches = (expected: string, actual: readonly string[]): boolean => {
  const [type, reason, , ...message] = expected.split(' ');
  const text = message.join(' ');
  return actual.some((l) => l.includes(` ${type} ${reason} `.trimStart()) && l.endsWith(` ${text}`));
};

/** Compares kubectl's output with a fixture section, both normalised. */
const compare = (id: string, output: string): Comparison => {
  const section = fixture.get(id);
  if (!section) throw new Error(`no section ${id} in testdata/article-kubectl.txt`);
  const actual = output.split('\n').map(normalise);
  const result: Comparison = { matched: [], differing: [], absentAsKnown: [], unexpectedlyPresent: [], deviations: [] };
  for (const { text, absent } of section.lines) {
    let expected = normalise(text);
    for (const [from, to] of section.instead) {
      if (expected.includes(from)) {
        expected = expected.split(from).join(to);
        if (!result.deviations.includes(`${from} => ${to}`)) result.deviations.push(`${from} => ${to}`);
      }
    }
    const found = section.mode === 'events' ? eventMatches(expected, actual) : actual.includes(expected);
    if (absent) (found ? result.unexpectedlyPresent : result.absentAsKnown).push(text.trim());
    else (found ? result.matched : result.differing).push(text.trim());
  }
  return result;
};

// ---- the server and kubectl ---------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'failsim-article-e2e-'));
const kubeconfig = join(dir, 'kubeconfig');
let server: ChildProcess | undefined;
let serverOutput = '';
let url = '';
const report: string[] = [];

const kubectl = (args: readonly string[]): string => {
  const r = spawnSync(kubectlPath, ['--cache-dir', join(dir, 'cache'), ...args], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: kubeconfig }, timeout: 45_000 });
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
};

interface ClockState {
  readonly elapsed: string;
  readonly paused: boolean;
}

const control = async (path: 'clock' | 'commands', body: object): Promise<ClockState> => {
  const res = await fetch(`${url}/failsim/v1/${path}`, { method: 'POST', body: JSON.stringify(body) });
  const answer = (await res.json()) as ClockState & { message?: string };
  if (res.status !== 200) throw new Error(`POST /failsim/v1/${path} ${JSON.stringify(body)}: ${res.status} ${answer.message ?? ''}`);
  return answer;
};

/** Compares and records; fails on any article line that failsim should print and does not. */
const expectArticle = (id: string, output: string): void => {
  const c = compare(id, output);
  report.push(
    `${id}: ${c.matched.length} lines match` +
      (c.deviations.length ? `; known deviations: ${c.deviations.join('; ')}` : '') +
      (c.absentAsKnown.length ? `; not printed (known): ${c.absentAsKnown.join(' | ')}` : ''),
  );
  expect({ id, differing: c.differing, unexpectedlyPresent: c.unexpectedlyPresent }).toEqual({ id, differing: [], unexpectedlyPresent: [] });
  expect(c.matched.length).toBeGreaterThan(0);
};

const rows = (table: string): string[][] =>
  table
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/));

suite('the article typed with real kubectl against failsim serve, at its virtual moments', () => {
  let oldNode = '';

  beforeAll(async () => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: build failsim first (nx run failsim:build)`);
    server = spawn(process.execPath, [bin, 'serve', 'statefulset-node-poweroff', '--port', '0', '--free', '--speed', '1', '--kubeconfig', kubeconfig], { stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (chunk: Buffer) => (serverOutput += chunk.toString('utf8')));
    server.stderr!.on('data', (chunk: Buffer) => (serverOutput += chunk.toString('utf8')));
    const end = Date.now() + 20_000;
    while (!/kubeconfig: /.test(serverOutput) && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50));
    url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(serverOutput)?.[1] ?? '';
    expect(url).not.toBe('');
    // At 1x only a second or so has passed: far before anything the article looks at.
    expect((await control('clock', { pause: true })).paused).toBe(true);
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
    if (report.length) console.log(`article comparison (testdata/article-kubectl.txt):\n  ${report.join('\n  ')}`);
  });

  it('T+5m19s: get pods, describe pod | grep Node:, get pvc, get pv, describe pv', async () => {
    expect((await control('clock', { until: 'T+5m19s' })).elapsed).toBe('5m19s');
    expectArticle('get-pods', kubectl(['get', 'pods', '-n', 'cassandra']));
    const node = kubectl(['describe', 'pod', 'cassandra-0', '-n', 'cassandra']).split('\n').filter((l) => l.startsWith('Node:')).join('\n');
    expectArticle('describe-pod-node', node);
    oldNode = /^Node:\s+([^/]+)\//.exec(node)![1]!;
    expectArticle('get-pvc', kubectl(['get', 'pvc', '-n', 'cassandra']));
    expectArticle('get-pv', kubectl(['get', 'pv']));
    const pv = kubectl(['get', 'pv', '-o', 'name']).trim().replace('persistentvolume/', '');
    expectArticle('describe-pv', kubectl(['describe', 'pv', pv]));
  });

  it('worker VM powered off: still Ready at +40 s, NotReady at +50 s (get nodes -o wide)', async () => {
    await control('commands', { run: 'govc vm.power -off {{ vm of pod cassandra/cassandra-0 }}' });
    await control('clock', { advance: '40s' });
    expect(rows(kubectl(['get', 'nodes'])).filter((r) => r[1] !== 'Ready')).toEqual([]);
    await control('clock', { advance: '10s' });
    const wide = kubectl(['get', 'nodes', '-o', 'wide']);
    expectArticle('get-nodes-wide', wide);
    expect(rows(wide).filter((r) => r[1] === 'NotReady').map((r) => r[0])).toEqual([oldNode]);
  });

  it('5 minutes on: describe pod shows it Terminating, Reason NodeLost, "… is unresponsive"', async () => {
    await control('clock', { advance: '5m' });
    expectArticle('describe-pod-terminating', kubectl(['describe', 'pod', 'cassandra-0', '-n', 'cassandra']));
    // It stays so: nothing can reach the powered-off kubelet (seed line 196).
    await control('clock', { advance: '5m' });
    expect(kubectl(['describe', 'pod', 'cassandra-0', '-n', 'cassandra'])).toMatch(/^Status:\s+Terminating \(lasts \S+\)$/m);
  });

  it('kubectl delete node: the pod comes back Pending on another node with the Multi-Attach error', async () => {
    expect(kubectl(['delete', 'node', oldNode])).toBe(`node "${oldNode}" deleted\n`);
    await control('clock', { advance: '30s' });
    const describe = kubectl(['describe', 'pod', 'cassandra-0', '-n', 'cassandra']);
    expectArticle('describe-pod-pending', describe);
    expect(describe).not.toMatch(new RegExp(`^Node:\\s+${oldNode}/`, 'm'));
    expectArticle('events-pending', describe);
    expectArticle('events-pending', kubectl(['get', 'events', '-n', 'cassandra']));
    expect(rows(kubectl(['get', 'pods', '-n', 'cassandra']))[0]?.slice(0, 3)).toEqual(['cassandra-0', '0/1', 'ContainerCreating']);
  });

  it('7 minutes on (past the 6 minute force detach): the pod is Running, attach and start events', async () => {
    await control('clock', { advance: '7m' });
    const describe = kubectl(['describe', 'pod', 'cassandra-0', '-n', 'cassandra']);
    expectArticle('describe-pod-running', describe);
    expectArticle('events-running', describe);
    expect(rows(kubectl(['get', 'pods', '-n', 'cassandra']))[0]?.slice(0, 3)).toEqual(['cassandra-0', '1/1', 'Running']);
  });
});
