import { describe, expect, it } from '@jest/globals';
import { COLOR_THEME, NO_COLOR_THEME, roleOf, themeFor } from './theme.js';

describe('theme', () => {
  it('drops every colour when NO_COLOR is set', () => {
    expect(themeFor({ NO_COLOR: '1' })).toBe(NO_COLOR_THEME);
    expect(themeFor({})).toBe(COLOR_THEME);
    expect(Object.entries(NO_COLOR_THEME).filter(([k, v]) => k !== 'name' && v !== undefined)).toEqual([]);
  });

  it('gives statuses their semantic role', () => {
    expect(roleOf('Ready')).toBe('ok');
    expect(roleOf('NotReady')).toBe('error');
    expect(roleOf('Terminating')).toBe('terminating');
    expect(roleOf('Unknown')).toBe('terminating');
    expect(roleOf('ContainerCreating')).toBe('pending');
    expect(roleOf('poweredOff')).toBe('error');
  });
});
