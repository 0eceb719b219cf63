import { describe, expect, it } from '@jest/globals';
import { render } from 'ink-testing-library';
import { KEY_BINDINGS } from '../keys.js';
import { HelpOverlay } from './HelpOverlay.js';

describe('HelpOverlay', () => {
  it('lists exactly the registered keys, each with its description', () => {
    const frame = render(<HelpOverlay width={200} />).lastFrame() ?? '';
    const listed = frame.split('\n').filter((l) => /^ {2}\S/.test(l) && !l.startsWith('  :overview'));
    expect(listed).toHaveLength(KEY_BINDINGS.length);
    for (const b of KEY_BINDINGS) expect(frame).toContain(`${b.label.padEnd(Math.max(...KEY_BINDINGS.map((k) => k.label.length)))}  ${b.description}`);
  });

  it('lists the views with their aliases', () => {
    expect(render(<HelpOverlay width={200} />).lastFrame()).toContain(':pods/:pod/:po');
  });
});
