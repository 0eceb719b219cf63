// End to end: the BUILT `failsim dash statefulset-node-poweroff` (bin/failsim.js → dist,
// built by nx before this target's tests) in a real terminal — tmux at 160×48, with CI
// unset for the child so Ink draws live frames — driven by keys and read back with
// `tmux capture-pane -p`. Every wait polls the screen until a deadline; nothing asserts
// on timing. Virtual time moves only by `:step`, so what the screen shows does not
// depend on how fast this machine is.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'failsim.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('dashboard e2e skipped: tmux is not installed (apt-get install tmux to run it)');
const suite = hasTmux ? describe : describe.skip;

const socket = `failsim-e2e-${process.pid}`;
const target = 'dash';
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = (): string => tmux('capture-pane', '-p', '-t', target);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the screen until `test` holds on it; fails with the last screen at the deadline. */
const waitFor = async (what: string, test: (text: string) => boolean, deadlineMs = 10_000): Promise<string> => {
  const end = Date.now() + deadlineMs;
  let text = '';
  while (Date.now() < end) {
    text = screen();
    if (test(text)) return text;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}; the screen was:\n${text}`);
};

/** Types a `:` line as a user would (the text pasted at once, then Enter). */
const command = (line: string): void => {
  tmux('send-keys', '-t', target, '-l', `:${line}`);
  tmux('send-keys', '-t', target, 'Enter');
};

/** The rows of the nodes table: lines that start with a node name (the overview puts it at column 0). */
const nodeRows = (text: string): string[] => text.split('\n').filter((l) => /^(master|worker)-\d+ /.test(l));

suite('failsim dash in a terminal (tmux 160×48)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'failsim-e2e-'));
  const exitFile = join(dir, 'exit');

  beforeAll(() => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: build failsim first (nx run failsim:build)`);
    const child = `env -u CI ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} dash statefulset-node-poweroff; echo EXIT=$? > ${JSON.stringify(exitFile)}`;
    tmux('-f', '/dev/null', 'new-session', '-d', '-s', target, '-x', '160', '-y', '48', child);
  });

  afterAll(() => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens, shows the node NotReady after the power-off, deletes it, refuses a typo and quits with 0', async () => {
    await waitFor('the header', (t) => t.includes('failsim statefulset-node-poweroff') && t.includes('Nodes[5]'), 15_000);

    // Past the power-off (or already past it, if the live clock got there first), then 50 virtual seconds.
    command('step poweroff');
    await waitFor('the run to reach the power-off', (t) => /ran to step poweroff|step poweroff has already started/.test(t));
    command('step 50s');
    const after = await waitFor('a NotReady worker', (t) => t.includes('stepped 50s (paused)') && nodeRows(t).some((l) => / NotReady /.test(l)));
    expect(after).toContain('PAUSED');
    const lost = nodeRows(after).find((l) => / NotReady /.test(l))!.split(/\s+/)[0]!;
    expect(after).toMatch(new RegExp(`^${lost} +NotReady .*poweredOff`, 'm'));

    command(`kubectl delete node ${lost}`);
    const deleted = await waitFor('the node to leave the nodes view', (t) => t.includes(`$ kubectl delete node ${lost}`) && !nodeRows(t).some((l) => l.startsWith(`${lost} `)));
    expect(deleted).toContain('Nodes[4]');

    // A typo: one error line, and nothing moves (the clock is paused, so the screen must match).
    const before = nodeRows(deleted);
    const clockBefore = /T\+\d\d:\d\d/.exec(deleted)?.[0];
    command('kubectl delet node worker-0');
    const refused = await waitFor('the error line', (t) => t.split('\n').some((l) => l.startsWith('✗ ')));
    expect(refused.split('\n').filter((l) => l.startsWith('✗ '))).toHaveLength(1);
    expect(nodeRows(refused)).toEqual(before);
    expect(/T\+\d\d:\d\d/.exec(refused)?.[0]).toBe(clockBefore);

    tmux('send-keys', '-t', target, 'q');
    const end = Date.now() + 10_000;
    // The shell creates the file before it writes to it: wait for the line, not the file.
    while (!(existsSync(exitFile) && readFileSync(exitFile, 'utf8').includes('\n')) && Date.now() < end) await sleep(50);
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('EXIT=0');
  }, 45_000);
});
