import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it, jest } from '@jest/globals';
import { render } from 'ink-testing-library';
import { App, completeLine } from './App.js';
import { ThemeContext } from './theme-context.js';
import { NO_COLOR_THEME } from './theme.js';
import { testSession } from './test-session.js';
import type { DashboardSession } from './session.js';

// Lets React apply the state set by a keypress (no timing is asserted).
const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};
// `:` and `/` open the prompt; the rest of a line arrives at once, as a paste does, then Enter.
const type = async (stdin: { write(s: string): void }, text: string): Promise<void> => {
  const prompt = /^([:/])(.*)\r$/.exec(text);
  const chunks = prompt ? [prompt[1]!, prompt[2]!, '\r'] : [...text];
  for (const chunk of chunks) {
    if (chunk === '') continue;
    stdin.write(chunk);
    await settle();
  }
};
const app = (session: DashboardSession) =>
  render(
    <ThemeContext.Provider value={NO_COLOR_THEME}>
      <App session={session} columns={160} rows={48} />
    </ThemeContext.Provider>,
  );

describe('App command mode', () => {
  // Each test renders full 160×48 frames of a live run; the work is real, not waiting.
  jest.setTimeout(30_000);

  it('runs a good step command: echoed in the command log, and the node is gone', async () => {
    const session = testSession();
    session.run.env.cluster.sim.clock.runFor(60_000);
    const { stdin, lastFrame } = app(session);
    await type(stdin, ':kubectl delete node worker-1\r');
    expect(lastFrame()).toContain('$ kubectl delete node worker-1');
    await type(stdin, ':no\r');
    expect(lastFrame()).not.toMatch(/^worker-1 /m);
    expect(lastFrame()).toMatch(/^worker-0 +Ready/m);
    await type(stdin, ':log\r');
    expect(lastFrame()).toMatch(/T\+01:00 {2}\$ kubectl delete node worker-1 {2}\[ok\]/);
    expect(lastFrame()).toContain('node "worker-1" deleted');
  });

  it('refuses a mistyped command with one error line and changes nothing', async () => {
    const session = testSession();
    session.run.env.cluster.sim.clock.runFor(60_000);
    const api = session.run.env.cluster.sim.api;
    const before = api.resourceVersion;
    const { stdin, lastFrame } = app(session);
    await type(stdin, ':kubectl delet node worker-1\r');
    expect(api.resourceVersion).toBe(before);
    const errors = (lastFrame() ?? '').split('\n').filter((l) => l.startsWith('✗ '));
    expect(errors).toHaveLength(1);
    await type(stdin, ':frobnicate\r');
    expect(lastFrame()).toContain('✗ unknown command or view "frobnicate"');
    expect(api.resourceVersion).toBe(before);
  });

  it('switches views by alias, describes the selection and goes back with Esc', async () => {
    const session = testSession();
    session.run.env.cluster.sim.clock.runFor(120_000);
    const { stdin, lastFrame } = app(session);
    await type(stdin, ':po\r');
    expect(lastFrame()).toContain('Pods(all)');
    await type(stdin, '/cassandra\r');
    expect(lastFrame()).toContain('/cassandra');
    await type(stdin, 'd');
    expect(lastFrame()).toContain('Describe pod/cassandra/cassandra-0');
    expect(lastFrame()).toMatch(/^Name: +cassandra-0$/m);
    await type(stdin, '\u001b');
    await settle();
    expect(lastFrame()).not.toContain('Describe pod/');
    await type(stdin, '?');
    expect(lastFrame()).toContain('Help (Esc or ? closes)');
  });

  it('a fault key acts on the selected node as the real command', async () => {
    const session = testSession();
    session.run.env.cluster.sim.clock.runFor(60_000);
    const { stdin, lastFrame } = app(session);
    await type(stdin, 'jc');
    expect(lastFrame()).toContain('$ kubectl cordon worker-0');
    expect(lastFrame()).toMatch(/worker-0 +Ready,SchedulingDisabled/);
  });

  it('space pauses, n steps one event, + speeds up', async () => {
    const session = testSession();
    const { stdin, lastFrame } = app(session);
    await type(stdin, ' ');
    expect(lastFrame()).toContain('PAUSED');
    const t = session.run.env.cluster.sim.clock.eventsRun;
    await type(stdin, 'n');
    expect(session.run.env.cluster.sim.clock.eventsRun).toBe(t + 1);
    await type(stdin, '+');
    expect(lastFrame()).toContain('speed 60×');
  });

  it(':step 50s and :step STEP-ID move the clock exactly, paused; a bad :step is refused', async () => {
    const session = testSession();
    const clock = session.run.env.cluster.sim.clock;
    const { stdin, lastFrame } = app(session);
    await type(stdin, ':step poweroff\r');
    expect(lastFrame()).toContain('ran to step poweroff (paused)');
    expect(session.run.nextStep()?.id).toBe('delete-node');
    const t = clock.now();
    await type(stdin, ':step 50s\r');
    expect(clock.now()).toBe(t + 50_000);
    expect(lastFrame()).toContain('PAUSED');
    expect(lastFrame()).toMatch(/^worker-\d +NotReady .*poweredOff/m);
    await type(stdin, ':step 5 minutes\r');
    expect(lastFrame()).toContain('✗ usage: :step [DURATION|STEP-ID]');
    await type(stdin, ':step 5x\r');
    expect(lastFrame()).toContain('✗ :step invalid duration "5x" (use 30s, 5m, 1h)');
    expect(clock.now()).toBe(t + 50_000);
  });

  it('Tab completes view names and arguments; :clocks all and `a` show every timer', async () => {
    const session = testSession();
    session.advance(60_000);
    const { stdin, lastFrame } = app(session);
    await type(stdin, ':');
    await type(stdin, 'kubectl cordon worker-');
    expect(lastFrame()).toContain('(kubectl cordon worker-0 kubectl cordon worker-1');
    for (let i = 0; i < 'worker-'.length; i++) await type(stdin, '\u007f');
    await type(stdin, 'm\t');
    expect(lastFrame()).toContain(':kubectl cordon master-0 ▏');
    await type(stdin, '\r');
    expect(lastFrame()).toContain('$ kubectl cordon master-0');
    await type(stdin, ':clocks all\r');
    expect(lastFrame()).toMatch(/── Clocks\(all\)\[\d+\]/);
    expect(lastFrame()).toContain('work queue');
    await type(stdin, 'a');
    expect(lastFrame()).toMatch(/── Clocks\[\d+\]/);
    expect(lastFrame()).not.toContain('work queue');
  });

  it('Tab takes the only completion, else the longest common prefix', () => {
    expect(completeLine('po', ['pods', 'pod'])).toBe('pod');
    expect(completeLine('kubectl delete node w', ['kubectl delete node worker-0'])).toBe('kubectl delete node worker-0 ');
    expect(completeLine('x', [])).toBeUndefined();
    expect(completeLine('kubectl delete ', ['kubectl delete node', 'kubectl delete pod'])).toBe('kubectl delete node');
  });

  it('force-delete-pod: :step to the force delete, :step 390s, then the badge, :hz newest first, ⚠ on the pod and its chain; `!` opens :hz too', async () => {
    const session = testSession('force-delete-pod');
    const { stdin, lastFrame } = app(session);
    // Plain text whatever chalk's colour level (FORCE_COLOR under CI styles the badge and the marks).
    const frame = (): string => stripVTControlCharacters(lastFrame() ?? '');
    await type(stdin, ':step force-delete\r');
    expect(frame()).toContain('ran to step force-delete (paused)');
    await type(stdin, ':step 5m55s\r');
    expect(frame()).not.toContain('hazard');
    await type(stdin, ':step 35s\r');
    const overview = frame();
    expect(overview).toMatch(/^T\+13:\d\d .* PAUSED {2}⚠ 2 hazards {2}next: heal: /m);
    expect(overview).toMatch(/^cassandra +cassandra-0 +1\/1 +Running .*worker-0 ⚠/m);
    expect(overview).not.toMatch(/^kube-system .*⚠/m);
    expect(overview).toMatch(/^⚠ (\* )?cassandra\/cassandra-0@worker-0 → PVC/m);
    expect(overview).toContain('  ⚠ DetachedWhileMounted, SplitBrain (:hz)');
    await type(stdin, ':hz\r');
    const lines = (frame()).split('\n');
    const top = lines.findIndex((l) => l.startsWith('── Hazards[2] '));
    expect(top).toBeGreaterThan(0);
    expect(lines[top + 1]).toMatch(/^TIME +KIND +OBJECT +MESSAGE$/);
    expect(lines[top + 2]).toMatch(/^T\+13:26 +⚠ SplitBrain +pod\/cassandra\/cassandra-0 +2 copies of StatefulSet cassandra\/cassandra identity cassandra-0 are running at once/);
    expect(lines[top + 3]).toMatch(/^T\+13:11 +⚠ DetachedWhileMounted +pod\/cassandra\/cassandra-0 +disk \[vsanDatastore\] kubevols\//);
    // Enter describes the pod the selected hazard names.
    await type(stdin, 'd');
    expect(frame()).toContain('Describe pod/cassandra/cassandra-0');
    await type(stdin, '\u001b');
    await type(stdin, ':po\r');
    expect(frame()).toContain('Pods(all)');
    await type(stdin, '!');
    expect(frame()).toContain('── Hazards[2] ');
  });

  it(':hazards on a run without any says so', async () => {
    const { stdin, lastFrame } = app(testSession());
    await type(stdin, ':hazards\r');
    expect(lastFrame()).toContain('── Hazards[0] ');
    expect(lastFrame()).toContain('No hazards: nothing a real cluster would be endangered by, so far.');
    expect(lastFrame()).not.toMatch(/⚠ \d+ hazard/);
  });
});
