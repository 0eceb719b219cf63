import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultKubeconfigPath, kubeconfigText, writeKubeconfig } from './kubeconfig.js';

describe('kubeconfig', () => {
  it('names the server, context failsim and a user without credentials', () => {
    expect(kubeconfigText('http://127.0.0.1:8001')).toBe(
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: failsim',
        '  cluster:',
        '    server: "http://127.0.0.1:8001"',
        'contexts:',
        '- name: failsim',
        '  context:',
        '    cluster: failsim',
        '    user: failsim',
        'current-context: failsim',
        'preferences: {}',
        'users:',
        '- name: failsim',
        '  user: {}',
        '',
      ].join('\n'),
    );
  });

  it('writes the file private to its owner, by default in the temp directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'failsim-kubeconfig-'));
    try {
      const path = writeKubeconfig(join(dir, 'config'), 'http://127.0.0.1:1');
      expect(readFileSync(path, 'utf8')).toContain('server: "http://127.0.0.1:1"');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(defaultKubeconfigPath(4242)).toBe(join(tmpdir(), 'failsim-4242.kubeconfig'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
