import { describe, expect, it } from '@jest/globals';
import { scenarioFile } from './scenario-source.js';

const library = (name: string): string | undefined => (name === 'known' ? '/lib/known.yaml' : undefined);

describe('scenarioFile', () => {
  it('takes paths as files and names from the library', () => {
    expect(scenarioFile('dir/x.yaml', library)).toEqual({ ok: true, file: 'dir/x.yaml' });
    expect(scenarioFile('x.yml', library)).toEqual({ ok: true, file: 'x.yml' });
    expect(scenarioFile('known', library)).toEqual({ ok: true, file: '/lib/known.yaml' });
  });

  it('says in one line when a name is unknown', () => {
    expect(scenarioFile('nope', library)).toEqual({ ok: false, error: 'error: unknown scenario "nope" (failsim list shows the library, or give a file path)' });
    expect(scenarioFile(' ', library)).toEqual({ ok: false, error: 'error: empty scenario name' });
  });
});
