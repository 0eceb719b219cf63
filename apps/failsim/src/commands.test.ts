import { describe, expect, it } from '@jest/globals';
import { commandList, commands } from './commands.js';

describe('commandList', () => {
  it('lists every command with its usage, all of them built', () => {
    const text = commandList('1.2.3');
    expect(text.split('\n')[0]).toBe('failsim 1.2.3: Kubernetes node and storage failures, simulated in virtual time');
    for (const command of commands) expect(text).toContain(command.usage);
    expect(text).toMatch(/failsim serve \[NAME\|FILE\] \[--port P\].*\s+serve a Kubernetes API for real kubectl\n/);
    expect(text).not.toContain('not built yet');
  });
});
