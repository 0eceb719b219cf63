// The interactive dashboard: the Screen plus the keys. Every keypress goes through the
// key registry (keys.ts); `:` takes a view name or a step command, `/` a filter. A step
// command goes to the run (DashboardSession.command): a line that does not parse or names
// nothing shows one error line and changes nothing.
import { useApp, useInput, useStdout, type Key } from 'ink';
import * as E from 'fp-ts/lib/Either.js';
import { useRef, useState } from 'react';
import { faultCommand } from './fault-commands.js';
import { bindingFor } from './keys.js';
import { rowCount, selectedTarget } from './model/rows.js';
import { Screen } from './Screen.js';
import type { DashboardSession } from './session.js';
import { INITIAL_UI, type UiState } from './ui-state.js';
import { useSession } from './use-session.js';
import { parseDuration } from '@failsim/scenarios';
import { complete, completionContext, STEP_TOOLS, viewFor } from './views.js';

/** Props of {@link App}. */
export interface AppProps {
  readonly session: DashboardSession;
  /** Terminal size; default the stdout's (80×24 when unknown). */
  readonly columns?: number;
  readonly rows?: number;
  /** Called on `q` after Ink has been told to exit. */
  readonly onQuit?: () => void;
  readonly initial?: UiState;
}

/**
 * `:step` — pause, then: nothing more (`:step`, the next event, as `n`), a duration
 * (`:step 50s`, that much virtual time) or a scripted step's id (`:step poweroff`, until
 * that step has started). Left: the one-line error, nothing run.
 */
export const applyStep = (session: DashboardSession, arg: string | undefined): E.Either<string, string> => {
  if (arg === undefined) return session.step() ? E.right('stepped one event') : E.left('nothing left to run on the clock');
  if (/^\d/.test(arg)) {
    const ms = parseDuration(arg);
    if (E.isLeft(ms)) return E.left(`:step ${ms.left}`);
    session.advance(ms.right);
    return E.right(`stepped ${arg} (paused)`);
  }
  const ran = session.runToStep(arg);
  return E.isLeft(ran) ? ran : E.right(`ran to step ${arg} (paused)`);
};

/** The message of a refused `:` line: the error's first line. */
const refused = (base: UiState, text: string): UiState => ({ ...base, message: { text: text.split('\n')[0] ?? text, error: true } });

/**
 * Runs a `:` line: a view name switches view (`:clocks all` shows every timer), `:step …`
 * moves the clock (see {@link applyStep}); anything else is a step command for the run.
 * A line that is none of these, or that the run refuses, leaves everything as it was
 * and says why in one line.
 */
export const applyCommandLine = (session: DashboardSession, ui: UiState, line: string): UiState => {
  const text = line.trim();
  const base: UiState = { ...ui, prompt: undefined };
  if (text === '') return base;
  const words = text.split(/\s+/);
  const first = words[0] ?? '';
  const view = viewFor(words.length === 2 && words[1] === 'all' ? first : text);
  if (view === 'clocks' && words.length === 2) return { ...base, view, clocksAll: true, selected: 0, describe: undefined, help: false };
  if (view) return { ...base, view, selected: 0, describe: undefined, help: false };
  if (first === 'step') {
    if (words.length > 2) return refused(base, 'usage: :step [DURATION|STEP-ID]  (:step 50s, :step poweroff)');
    const stepped = applyStep(session, words[1]);
    return E.isLeft(stepped) ? refused(base, stepped.left) : { ...base, message: { text: stepped.right, error: false } };
  }
  if (!STEP_TOOLS.includes(first)) return refused(base, `unknown command or view "${first}" (a view: :po :no :pvc :clocks :ev :hz :tasks :bosh :log; :step; or kubectl, govc, bosh, partition, heal)`);
  const result = session.command(text);
  if (E.isLeft(result)) return refused(base, result.left);
  const entry = session.log[session.log.length - 1];
  const failed = entry?.ok === false;
  return { ...base, message: { text: failed ? (entry.output.split('\n')[0] ?? '') : `$ ${entry?.line ?? text}`, error: failed } };
};

/**
 * What Tab makes of `typed` given its completions: the only one (and a space, to type the
 * next word), else their longest common prefix when it adds something, else the first.
 */
export const completeLine = (typed: string, completions: readonly string[]): string | undefined => {
  if (completions.length === 0) return undefined;
  if (completions.length === 1) return `${completions[0]!} `;
  let prefix = completions[0]!;
  for (const c of completions) while (!c.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.length > typed.trimStart().length ? prefix : completions[0]!;
};

const clean = (ui: UiState, drop: readonly (keyof UiState)[]): UiState => {
  const out: Record<string, unknown> = { ...ui };
  for (const k of drop) delete out[k];
  return out as unknown as UiState;
};

/** The dashboard app. */
export const App = ({ session, columns, rows, onQuit, initial = INITIAL_UI }: AppProps) => {
  useSession(session);
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [shown, setShown] = useState<UiState>(initial);
  // Keys can arrive faster than React renders (a pasted command): each keypress reads the
  // state the previous one left, not the last rendered one.
  const current = useRef<UiState>(initial);
  const setUi = (next: UiState): void => {
    current.current = next;
    setShown(next);
  };
  const width = columns ?? stdout.columns ?? 80;
  // One line short of the terminal: an Ink frame as tall as the screen scrolls it on each redraw.
  const height = rows ?? Math.max(12, (stdout.rows ?? 24) - 1);

  const handle = (input: string, key: Key): void => {
    const ui = current.current;
    // Several characters at once (a paste, a terminal sending `:po` in one read): one key
    // at a time, so `:` opens the prompt and the rest is typed into it.
    if (input.length > 1 && !key.ctrl && !key.meta) {
      for (const ch of input) {
        if (ch === '\r' || ch === '\n') handle('', { ...key, return: true });
        else handle(ch, { ...key, return: false });
      }
      return;
    }
    if (ui.prompt) {
      const p = ui.prompt;
      if (key.escape) return setUi(clean(ui, ['prompt']));
      if (key.return) {
        if (p.mode === '/') return setUi({ ...clean(ui, ['prompt']), filter: p.text, selected: 0 });
        return setUi(applyCommandLine(session, ui, p.text));
      }
      if (key.tab) {
        if (p.mode !== ':') return;
        const next = completeLine(p.text, complete(p.text, completionContext(session)));
        return next === undefined ? undefined : setUi({ ...ui, prompt: { ...p, text: next } });
      }
      if (key.backspace || key.delete) return setUi({ ...ui, prompt: { ...p, text: p.text.slice(0, -1) } });
      if (key.ctrl || key.meta || input === '') return;
      return setUi({ ...ui, prompt: { ...p, text: p.text + input } });
    }
    const binding = bindingFor({ input, escape: key.escape, return: key.return, upArrow: key.upArrow, downArrow: key.downArrow, ctrl: key.ctrl });
    if (!binding) return;
    const count = (): number => rowCount(session.run, ui, session.hazards);
    switch (binding.action) {
      case 'quit':
        session.stop();
        exit();
        onQuit?.();
        return;
      case 'command':
        return setUi({ ...clean(ui, ['message']), prompt: { mode: ':', text: '' } });
      case 'filter':
        return setUi({ ...clean(ui, ['message']), prompt: { mode: '/', text: '' } });
      case 'back':
        if (ui.help || ui.describe) return setUi({ ...clean(ui, ['describe']), help: false });
        if (ui.filter !== '') return setUi({ ...ui, filter: '' });
        return setUi({ ...clean(ui, ['message']), view: 'overview', selected: 0 });
      case 'help':
        return setUi({ ...ui, help: !ui.help });
      case 'describe': {
        const target = selectedTarget(session.run, ui, session.hazards);
        return setUi(target ? { ...ui, describe: target, help: false } : { ...ui, message: { text: 'nothing selected to describe', error: true } });
      }
      case 'down':
        return setUi({ ...ui, selected: Math.min(Math.max(0, count() - 1), ui.selected + 1) });
      case 'up':
        return setUi({ ...ui, selected: Math.max(0, ui.selected - 1) });
      case 'faults-only':
        return setUi({ ...ui, faultsOnly: !ui.faultsOnly, selected: 0 });
      case 'warnings-only':
        return setUi({ ...ui, warningsOnly: !ui.warningsOnly, selected: 0 });
      case 'clocks-all':
        return setUi({ ...ui, clocksAll: !ui.clocksAll });
      case 'hazards':
        return setUi({ ...clean(ui, ['message', 'describe']), view: 'hazards', selected: 0, help: false });
      case 'pause':
        return session.togglePause();
      case 'step':
        if (!session.step()) setUi({ ...ui, message: { text: 'nothing left to run on the clock', error: false } });
        return;
      case 'faster':
        return session.changeSpeed(1);
      case 'slower':
        return session.changeSpeed(-1);
      case 'restart':
        session.restart();
        return setUi({ ...ui, message: { text: 'restarted from T+00:00', error: false } });
      default: {
        // A fault key: it acts on the selected node of the nodes table (overview or :nodes).
        const target = ui.view === 'overview' || ui.view === 'nodes' ? selectedTarget(session.run, ui) : undefined;
        if (target?.kind !== 'Node') return setUi({ ...ui, message: { text: `${binding.label}: select a node first (:nodes or the overview)`, error: true } });
        const line = faultCommand(binding.action, target.name, session.run.env.vmForNode.get(target.name));
        if (line === undefined) return setUi({ ...ui, message: { text: `${binding.label}: node ${target.name} has no VM`, error: true } });
        return setUi(applyCommandLine(session, ui, line));
      }
    }
  };
  useInput(handle);

  return <Screen session={session} ui={shown} columns={width} rows={height} />;
};
