import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordingIo } from '../test-io.js';
import { parsePortFlag, parseServeSpeedFlag, serve, serveCommand } from './serve.js';

describe('failsim serve', () => {
  it('serves the scenario, writes the kubeconfig, answers kubectl-style requests and stops with 0', async () => {
    const io = recordingIo();
    const dir = mkdtempSync(join(tmpdir(), 'failsim-serve-'));
    const kubeconfig = join(dir, 'config');
    try {
      let version: unknown;
      const code = await serve(io, 'statefulset-node-poweroff', { port: 0, speed: 60, free: true, kubeconfig }, {
        waitForStop: async () => {
          const url = /at (http:\/\/127\.0\.0\.1:\d+),/.exec(io.text.out)![1]!;
          expect(readFileSync(kubeconfig, 'utf8')).toContain(`server: "${url}"`);
          version = await (await fetch(`${url}/version?timeout=32s`)).json();
        },
      });
      expect(code).toBe(0);
      expect(version).toMatchObject({ gitVersion: 'v1.12.4', minor: '12' });
      expect(io.text.out).toMatch(/^failsim serve: statefulset-node-poweroff \(Kubernetes v1\.12\.4\) at http:\/\/127\.0\.0\.1:\d+, speed 60x, free run\nkubeconfig: .*\/config\n/);
      expect(io.text.out).toMatch(/failsim serve: stopped\n$/);
      // A kubeconfig the user named is kept.
      expect(existsSync(kubeconfig)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('caps --speed max for a live server and removes its own temp kubeconfig on exit', async () => {
    const io = recordingIo();
    let path = '';
    await serve(io, 'statefulset-node-poweroff', { speed: 'max' }, {
      waitForStop: () => {
        path = /^kubeconfig: (.*)$/m.exec(io.text.out)![1]!;
        expect(existsSync(path)).toBe(true);
        return Promise.resolve();
      },
    });
    expect(io.text.err).toBe('failsim serve: --speed max is capped at 600 while serving live\n');
    expect(io.text.out).toMatch(/speed 600x\n/);
    expect(existsSync(path)).toBe(false);
  });

  it('exits 2 for an unknown scenario', async () => {
    const io = recordingIo();
    expect(await serve(io, 'no-such-scenario', {}, { waitForStop: async () => {} })).toBe(2);
    expect(io.text.err).toMatch(/unknown scenario "no-such-scenario"/);
  });

  it('parses --port and --speed', () => {
    expect(parsePortFlag('0')).toBe(0);
    expect(() => parsePortFlag('70000')).toThrow(/port/);
    expect(parseServeSpeedFlag('60x')).toBe(60);
    expect(parseServeSpeedFlag('max')).toBe('max');
    expect(() => parseServeSpeedFlag('1.5')).toThrow(/whole number/);
    expect(serveCommand(recordingIo(), () => {}).options.map((o) => o.long)).toEqual(['--port', '--address', '--speed', '--free', '--kubeconfig', '--profile']);
  });
});
