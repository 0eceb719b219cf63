import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Bad input through the built CLI (bin/failsim.js → dist/cli.js), as main.test.ts runs it:
// each case must exit 2, print nothing on stdout, and say on stderr, in exactly one line,
// what is wrong — for a scenario file's content with file:line:column and the field path.
// Fixtures are written to a temporary folder, never to the repository.

const bin = join(import.meta.dirname, '..', 'bin', 'failsim.js');

interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI without blocking, so the cases can run concurrently. */
const cli = (args: readonly string[]): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

const dir = mkdtempSync(join(tmpdir(), 'failsim-bad-input-'));

/** A valid one-worker scenario; each case changes one part of it. */
const scenarioText = (parts: { resources?: string[]; steps?: string[]; expectations?: string[]; tail?: string[] } = {}): string =>
  [
    'metadata: { name: bad, title: Bad }',
    'profile: "1.12"',
    'storage: vcp',
    'cluster:',
    '  nodes:',
    '    - { name: worker-0, role: worker }',
    ...(parts.resources === undefined ? [] : ['resources:', ...parts.resources]),
    'steps:',
    ...(parts.steps ?? ['  - id: off', '    at: 1m', '    run: kubectl delete node worker-0']),
    ...(parts.expectations === undefined ? [] : ['expectations:', ...parts.expectations]),
    ...(parts.tail ?? []),
    '',
  ].join('\n');

/** Writes `text` as `<name>.yaml` in the temporary folder and returns its path. */
const fixture = (name: string, text: string): string => {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
};

const good = fixture('good', scenarioText());
const directory = join(dir, 'a-directory.yaml');
mkdirSync(directory);

/** [what, CLI arguments, the one stderr line]. */
type Case = readonly [string, readonly string[], string];

const fileCase = (what: string, name: string, text: string, line: string): Case => {
  const file = fixture(name, text);
  return [what, ['run', file], `${file}:${line}`];
};

const cases: readonly Case[] = [
  fileCase('YAML syntax error', 'syntax', 'metadata: { name: bad, title: Bad\nprofile: "1.12"\n', '2:1: Flow map in block collection must be sufficiently indented and end with a }'),
  fileCase('unknown top-level field', 'top-field', scenarioText({ tail: ['frobnicate: 1'] }), '11:1: frobnicate: unknown field "frobnicate"'),
  fileCase('unknown nested field', 'nested-field', scenarioText().replace('role: worker }', 'role: worker, colour: red }'), '6:39: cluster.nodes[0].colour: unknown field "colour"'),
  fileCase('wrong type', 'wrong-type', scenarioText({ tail: ['seed: forty-two'] }), '11:7: seed: expected integer, got string'),
  fileCase('invalid metadata.name', 'bad-name', scenarioText().replace('name: bad,', 'name: Bad_Name,'), '1:19: metadata.name: invalid name "Bad_Name" (lowercase letters, digits and "-", at most 63 characters)'),
  fileCase('missing required field', 'no-steps', scenarioText().replace(/steps:\n(.*\n){3}/, ''), '1:1: missing required field "steps"'),
  fileCase('unknown profile in the file', 'file-profile', scenarioText().replace('"1.12"', '"1.99"'), '2:10: profile: unknown profile "1.99" (failsim has 1.12, 1.14, 1.18, 1.28, 1.32)'),
  fileCase('unknown override, with a did-you-mean', 'override', scenarioText({ tail: ['overrides:', '  options: { nodeMonitorGracePeriood: 50s }'] }), '12:14: overrides.options.nodeMonitorGracePeriood: unknown option "nodeMonitorGracePeriood" of profile 1.12 (did you mean "nodeMonitorGracePeriod"?)'),
  fileCase('unknown command in a step', 'command', scenarioText({ steps: ['  - at: 1m', '    run: docker kill worker-0'] }), '9:10: steps[0].run: unknown command "docker" (use kubectl, govc, bosh, partition, heal, restart-kubelet)'),
  fileCase('unknown kubectl verb', 'verb', scenarioText({ steps: ['  - at: 1m', '    run: kubectl destroy node worker-0'] }), '9:10: steps[0].run: kubectl: unknown verb "destroy" (use delete, drain, cordon, uncordon, taint, scale, apply, exec)'),
  fileCase('unknown kubectl flag', 'kubectl-flag', scenarioText({ steps: ['  - at: 1m', '    run: kubectl delete node worker-0 --frobnicate'] }), '9:10: steps[0].run: kubectl delete: unknown flag "--frobnicate"'),
  fileCase('unclosed reference', 'unclosed-reference', scenarioText({ steps: ['  - at: 1m', '    run: kubectl delete node {{ node of pod x/y'] }), '9:10: steps[0].run: unclosed "{{"'),
  fileCase('reference to nothing', 'unknown-reference', scenarioText({ steps: ['  - at: 1m', '    run: kubectl delete node {{ node of pood x/y }}'] }), '9:10: steps[0].run: kubectl delete node: unknown reference "{{ node of pood x/y }}" (use "node of pod NS/NAME", "vm of node NAME", "vm of pod NS/NAME", "pv of pvc NS/NAME" or "disk of pvc NS/NAME on vm VM")'),
  fileCase('expectation after an unknown step id', 'after', scenarioText({ expectations: ['  - state: { object: node/worker-0, status: NotReady, within: 50s, after: poweroff }'] }), '12:75: expectations[0].state.after: no step with id "poweroff"'),
  fileCase('duration in words', 'duration-words', scenarioText({ steps: ['  - at: 5 minutes', '    run: kubectl delete node worker-0'] }), '8:9: steps[0].at: invalid duration "5 minutes" (use 30s, 5m, 1h)'),
  fileCase('negative duration', 'duration-negative', scenarioText({ steps: ['  - at: -5m', '    run: kubectl delete node worker-0'] }), '8:9: steps[0].at: invalid duration "-5m" (use 30s, 5m, 1h)'),
  fileCase('reversed window', 'window', scenarioText({ expectations: ['  - state: { object: node/worker-0, status: NotReady, within: "50s..30s", after: off }'] }), '12:63: expectations[0].state.within: invalid window "50s..30s": its start is after its end'),
  fileCase('resource path leaving the folder', 'dotdot', scenarioText({ resources: ['  - file: ../x.yaml'] }), `8:11: resources[0].file: path "../x.yaml" leaves the scenario's folder`),
  fileCase('absolute resource path', 'absolute', scenarioText({ resources: ['  - file: /etc/passwd'] }), '8:11: resources[0].file: absolute path "/etc/passwd" (use a path relative to the scenario\'s folder)'),
  fileCase('missing resource file', 'missing-resource', scenarioText({ resources: ['  - file: nothere.yaml'] }), `8:5: resources[0].file: no file "nothere.yaml" in the scenario's folder`),
  fileCase('YAML tag', 'tag', scenarioText({ tail: ['seed: !!js/function "x"'] }), '11:7: YAML tags are not allowed (found "tag:yaml.org,2002:js/function")'),
  fileCase('two YAML documents', 'two-documents', `${scenarioText()}---\n${scenarioText()}`, '11:1: a scenario is one YAML document; found more'),
  fileCase('empty file', 'empty', '', '1:1: file is empty'),
  fileCase('comments only', 'comments', '# nothing here\n', '1:1: file is empty'),
  ['missing scenario file', ['run', join(dir, 'none.yaml')], `${join(dir, 'none.yaml')}:1:1: no such file`],
  ['a directory for a file', ['run', directory], `${directory}:1:1: is a directory, not a scenario file`],
  ['unknown library name', ['run', 'statefulset-node-powerof'], 'error: unknown scenario "statefulset-node-powerof" (failsim list shows the library, or give a file path)'],
  ['unknown --profile', ['run', good, '--profile', '1.99'], "error: option '--profile <V>' argument '1.99' is invalid. unknown profile (failsim has 1.12, 1.14, 1.18, 1.28, 1.32)."],
  ['bad --seed', ['run', good, '--seed', '-3'], "error: option '--seed <N>' argument '-3' is invalid. the seed is a non-negative integer."],
  ['bad --until', ['run', good, '--until', '5 minutes'], `error: option '--until <D>' argument '5 minutes' is invalid. invalid duration "5 minutes" (use 30s, 5m, 1h).`],
  ['--set of an unknown name', ['run', good, '--set', 'node-monitor-grace-perod=50s'], `error: option '--set <NAME=VALUE>' argument 'node-monitor-grace-perod=50s' is invalid. unknown option, feature gate or behaviour "node-monitor-grace-perod" (did you mean "nodeMonitorGracePeriod"?).`],
  ['--set of a bad value', ['run', good, '--set', 'disable-force-detach-on-timeout=yes'], `error: option '--set <NAME=VALUE>' argument 'disable-force-detach-on-timeout=yes' is invalid. disableForceDetachOnTimeout: expected true or false, got "yes".`],
  ['--set without =', ['run', good, '--set', 'NodeOutOfServiceVolumeDetach'], `error: option '--set <NAME=VALUE>' argument 'NodeOutOfServiceVolumeDetach' is invalid. expected NAME=VALUE, e.g. node-monitor-grace-period=50s or NodeOutOfServiceVolumeDetach=false.`],
  fileCase('Pod without containers', 'pod-no-containers', scenarioText({ resources: ['  - { apiVersion: v1, kind: Pod, metadata: { name: p } }'] }), '8:5: resources[0].spec.containers: Pod "p" is invalid: spec.containers: Required value'),
  fileCase('bad apiVersion', 'api-version', scenarioText({ resources: ['  - { apiVersion: v9, kind: Pod, metadata: { name: p }, spec: { containers: [{ name: c, image: x }] } }'] }), '8:19: resources[0].apiVersion: no matches for kind "Pod" in version "v9" (failsim serves Pod as v1)'),
  fileCase('unknown kind', 'kind', scenarioText({ resources: ['  - { apiVersion: v1, kind: Service, metadata: { name: p } }'] }), '8:29: resources[0].kind: no matches for kind "Service" in version "v1" (failsim serves Namespace, Node, Pod, PersistentVolume, PersistentVolumeClaim, StorageClass, StatefulSet, Deployment, ReplicaSet, DaemonSet, Event, Lease, VolumeAttachment, PodDisruptionBudget)'),
  fileCase('a run longer than a week', 'until-range', scenarioText({ tail: ['until: 100000h'] }), '11:8: until: 100000h is longer than 168h, the most a scenario allows'),
  fileCase('a when with no time to wait', 'timeout-zero', scenarioText({ steps: ['  - id: off', '    when: pod/a/b is Running', '    timeout: 0s', '    run: kubectl delete node worker-0'] }), '10:14: steps[0].timeout: 0s must be more than 0s'),
  fileCase('a command against a node the cluster lacks', 'no-node', scenarioText({ steps: ['  - id: off', '    at: 1m', '    run: kubectl cordon worker-9'] }), '10:10: steps[0].run: no node "worker-9" in cluster.nodes (did you mean "worker-0"?)'),
  fileCase('duplicate key', 'dup-key', scenarioText({ tail: ['seed: 1', 'seed: 2'] }), '12:1: Map keys must be unique'),
  fileCase('seed out of range', 'seed-range', scenarioText({ tail: ['seed: -1'] }), '11:7: seed: must be an integer from 0 to 4294967295; got -1'),
  fileCase('nesting 100 levels deep', 'deep', scenarioText({ tail: [`seed: ${'['.repeat(100)}${']'.repeat(100)}`] }), '11:39: nesting deeper than 32 levels'),
  fileCase('an alias bomb', 'aliases', scenarioText({ tail: ['x: &a [1, 2]', ...Array.from({ length: 40 }, (_, i) => `y${i}: *a`)] }), '1:1: Excessive alias count indicates a resource exhaustion attack'),
  fileCase('a file over 1 MiB', 'huge', `${scenarioText()}# ${'x'.repeat(1_100_000)}\n`, '1:1: file is 1100193 bytes, more than the 1048576 allowed'),
  ['--set on compare', ['compare', good, '--profile', '1.12', '--profile', '1.28', '--set', 'nodeMonitorGracePeriod=50'], `error: option '--set <NAME=VALUE>' argument 'nodeMonitorGracePeriod=50' is invalid. nodeMonitorGracePeriod: invalid duration "50" (use 30s, 5m, 1h).`],
];

describe('failsim on bad input: exit 2, nothing on stdout, one located line on stderr', () => {
  it('has at least forty distinct cases', () => {
    expect(new Set(cases.map(([what]) => what)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.concurrent.each(cases)('%s', async (_what, args, line) => {
    const r = await cli(args);
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 2, stdout: '', stderr: `${line}\n` });
  }, 30_000);

  it('starts from a valid fixture (the cases fail for their one change only)', async () => {
    const r = await cli(['validate', good]);
    expect(r).toEqual({ status: 0, stdout: `${good}: ok\n`, stderr: '' });
    // A CLI process, as the cases: Jest's 5 s default failed on a loaded CI host.
  }, 30_000);
});
