import { describe, expect, it } from '@jest/globals';
import { bindingFor, KEY_BINDINGS, keyHints, keyName } from './keys.js';

describe('the key registry', () => {
  it('binds each key once', () => {
    const keys = KEY_BINDINGS.flatMap((b) => b.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('names keypresses as Ink reports them and finds their binding', () => {
    expect(keyName({ input: ' ' })).toBe('space');
    expect(keyName({ input: 'z', ctrl: true })).toBe('ctrl+z');
    expect(bindingFor({ input: '', escape: true })?.action).toBe('back');
    expect(bindingFor({ input: '.' })?.action).toBe('step');
    expect(bindingFor({ input: 'O' })?.action).toBe('power-on');
    expect(bindingFor({ input: 'Z' })).toBeUndefined();
  });

  it('draws the header hints from the bindings marked hint', () => {
    expect(keyHints()).toBe(KEY_BINDINGS.filter((b) => b.hint).map((b) => `<${b.label}> ${b.action}`).join('  '));
    expect(keyHints()).toContain('<q> quit');
  });
});
