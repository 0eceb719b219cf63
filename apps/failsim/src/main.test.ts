import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Runs the built launcher as a user would (bin/failsim.js → dist/cli.js).
const bin = join(import.meta.dirname, '..', 'bin', 'failsim.js');
const cli = (...args: string[]): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
const run = (...args: string[]): string => cli(...args).stdout;
const scenario = join(import.meta.dirname, '..', '..', '..', 'packages', 'scenarios', 'src', 'runner', 'testdata', 'statefulset-node-poweroff.yaml');

describe('failsim command line', () => {
  it('lists the library and runs a scenario by name', () => {
    const list = cli('list');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^NAME +TITLE +PROFILE\n/);
    expect(list.stdout).toMatch(/^statefulset-node-poweroff +StatefulSet .* 1\.12$/m);
    expect(cli('show', 'statefulset-node-poweroff').stdout).toContain('name: statefulset-node-poweroff');
    expect(cli('run', 'statefulset-node-poweroff', '--until', '5m', '--output', 'json').stdout).toContain('"scenario": "statefulset-node-poweroff"');
  });

  it('compares a scenario across profiles: 1.12 takes the NodeLost path, 1.28 the taint-based one', () => {
    const compared = cli('compare', 'statefulset-node-poweroff', '--profile', '1.12', '--profile', '1.28');
    expect(compared.status).toBe(0);
    const lines = compared.stdout.split('\n');
    expect(lines[0]).toMatch(/^MOMENT +PROFILE 1\.12 +PROFILE 1\.28$/);
    expect(lines.find((l) => l.startsWith('Pod/cassandra/cassandra-0 → Unknown '))).toMatch(/T\+\d\d:\d\d +—$/);
    expect(lines.find((l) => l.startsWith('TaintManagerEviction on Pod/cassandra/cassandra-0 '))).toMatch(/— +T\+\d\d:\d\d$/);
    expect(lines.find((l) => l.startsWith('Pod/cassandra/cassandra-0 → Running (#2) '))).toMatch(/T\+1:\d\d:\d\d +T\+1:\d\d:\d\d$/);
    expect(lines.find((l) => l.startsWith('expectations held '))).toMatch(/8\/8 +\d\/8$/);
    const one = cli('compare', 'statefulset-node-poweroff', '--profile', '1.12');
    expect(one.status).toBe(2);
    expect(one.stderr).toBe('error: compare needs at least two --profile options\n');
  });

  it('prints the command list and a hint when run with no arguments and no TTY (the dashboard needs one)', () => {
    const r = cli();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Commands:\n  failsim ');
    expect(r.stdout).toContain('failsim: the dashboard needs a terminal (stdout is not a TTY)');
  });

  it('prints its version', () => {
    expect(run('--version').trim()).toBe('0.1.0');
  });

  it('has --help on each command', () => {
    for (const command of ['list', 'show', 'validate', 'run']) {
      const r = cli(command, '--help');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`Usage: failsim ${command}`);
    }
  });

  it('runs the seed power-off scenario: exit 0, the JSON contract with passed=true', () => {
    const r = cli('run', scenario, '--output', 'json');
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout) as { scenario: string; profile: string; seed: number; passed: boolean; expectations: unknown[] };
    expect(result).toMatchObject({ scenario: 'statefulset-node-poweroff', profile: '1.12', seed: 42, passed: true });
    expect(result.expectations).toHaveLength(4);
  });

  it('prints the transcript by default, with virtual time in the margin', () => {
    const r = cli('run', scenario, '--until', '10m');
    // Ten minutes are too short for the scenario's later expectations: exit 1.
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^T\+02:10 +node\/worker-2 {2}status Ready → NotReady$/m);
    expect(r.stdout).toContain('  ✓ node/{{ node of pod cassandra/cassandra-0 }} is NotReady within 30s..50s after poweroff');
    expect(r.stdout).toMatch(/\nFAILED {2}statefulset-node-poweroff \(profile 1\.12, seed 42\)\n$/);
  });

  it('prints NDJSON records ending with the result', () => {
    const lines = run('run', scenario, '--output', 'ndjson', '--seed', '42').trimEnd().split('\n');
    const records = lines.map((l) => JSON.parse(l) as { type: string; passed?: boolean });
    expect(records[0]?.type).toBe('step');
    expect(new Set(records.map((r) => r.type))).toEqual(new Set(['step', 'event', 'transition', 'expectation', 'result']));
    expect(records[records.length - 1]).toEqual({ type: 'result', scenario: 'statefulset-node-poweroff', profile: '1.12', seed: 42, passed: true });
  });

  it('validates: FILE: ok, or file:line:column errors with exit 2', () => {
    expect(cli('validate', scenario)).toMatchObject({ status: 0, stdout: `${scenario}: ok\n` });
    const bad = join(mkdtempSync(join(tmpdir(), 'failsim-cli-')), 'bad.yaml');
    writeFileSync(bad, 'metadata: { name: x, title: X }\nprofile: "1.12"\nstorage: vcp\ncluster: { nodes: [{ name: w, role: worker }] }\nsteps:\n  - at: 5 minutes\n    run: kubectl delete node w\n');
    const r = cli('validate', bad);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain(`${bad}:6:9: steps[0].at: invalid duration "5 minutes" (use 30s, 5m, 1h)\n`);
  });

  it('exits 2 with one clear line for each kind of bad input', () => {
    const cases: [string[], string][] = [
      [['run', 'no-such-scenario'], 'error: unknown scenario "no-such-scenario" (failsim list shows the library, or give a file path)'],
      [['show', 'no-such-scenario'], 'error: unknown scenario "no-such-scenario" (failsim list shows the library, or give a file path)'],
      [['run', 'missing/x.yaml'], 'missing/x.yaml:1:1: no such file'],
      [['run', scenario, '--seed', 'abc'], "error: option '--seed <N>' argument 'abc' is invalid. the seed is a non-negative integer."],
      [['run', scenario, '--until', '5min'], `error: option '--until <D>' argument '5min' is invalid. invalid duration "5min" (use 30s, 5m, 1h).`],
      [['run', scenario, '--profile', '1.99'], "error: option '--profile <V>' argument '1.99' is invalid. unknown profile (failsim has 1.12, 1.14, 1.18, 1.28, 1.32)."],
      [['run', scenario, '--output', 'xml'], "error: option '--output <format>' argument 'xml' is invalid. Allowed choices are transcript, markdown, json, ndjson."],
      [['run', scenario, '--frobnicate'], "error: unknown option '--frobnicate'"],
      [['run'], "error: missing required argument 'NAME|FILE'"],
      [['validate'], "error: missing required argument 'FILE'"],
      [['frobnicate'], "error: unknown command 'frobnicate' (failsim with no arguments lists the commands)"],
    ];
    for (const [args, line] of cases) {
      const r = cli(...args);
      expect({ args, status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ args, status: 2, stdout: '', stderr: `${line}\n` });
    }
  }, 60_000);
});
