// Colours by semantic role, as k9s skins colour status by what it means (derailed/k9s
// internal/config/styles.go · v0.32: pending, error, killed, completed, modified), and a
// no-colour theme when NO_COLOR is set (no-color.org). Colour only ever repeats what the
// text already says: every status is printed in words.

/** The roles a cell can have. */
export type Role = 'ok' | 'pending' | 'error' | 'terminating' | 'changed' | 'muted' | 'accent' | 'plain';

/** A colour (an Ink/chalk colour name) per role; undefined = the terminal's own colour. */
export type Theme = Readonly<Record<Role, string | undefined>> & { readonly name: string };

/** The default theme. */
export const COLOR_THEME: Theme = {
  name: 'color', ok: 'green', pending: 'yellow', error: 'red', terminating: 'magenta', changed: 'cyan', muted: 'gray', accent: 'blue', plain: undefined,
};

/** No colours at all (NO_COLOR). */
export const NO_COLOR_THEME: Theme = {
  name: 'no-color', ok: undefined, pending: undefined, error: undefined, terminating: undefined, changed: undefined, muted: undefined, accent: undefined, plain: undefined,
};

/** The theme for an environment: NO_COLOR set to anything non-empty turns colour off. */
export const themeFor = (env: Readonly<Record<string, string | undefined>> = process.env): Theme => (env['NO_COLOR'] ? NO_COLOR_THEME : COLOR_THEME);

/** The role of a kubectl STATUS (node or pod), a power state or a task state. */
export const roleOf = (status: string): Role => {
  if (/^(Ready|Running|Bound|Completed|Succeeded|poweredOn|done|Normal)$/.test(status)) return 'ok';
  if (/Terminating|Unknown/.test(status)) return 'terminating';
  if (/NotReady|Error|Failed|CrashLoopBackOff|BackOff|Evicted|NodeLost|poweredOff|error|Warning|Lost|SchedulingDisabled/.test(status)) return 'error';
  if (/Pending|ContainerCreating|Init:|queued|processing|Running$|suspended/.test(status)) return 'pending';
  return 'plain';
};
