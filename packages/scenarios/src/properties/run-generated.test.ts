// loadScenarioText and runGenerated: what runs is what the file says.
import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { asScenarioFile, type GeneratedScenario } from './generated-scenario.js';
import { loadScenarioText, runGenerated } from './run-generated.js';

const scenario: GeneratedScenario = {
  name: 'tiny', title: 'One power-off', profile: '1.12', storage: 'vcp', workers: 1, hosts: 1, seed: 3, until: 300,
  workloads: [{ kind: 'deployment', name: 'web0', replicas: 1 }],
  steps: [{ id: 'off', at: 60, run: 'govc vm.power -off worker-0' }],
  expectations: [],
};

describe('loadScenarioText', () => {
  it('names the file, line and field of a parse error', () => {
    const bad = loadScenarioText(asScenarioFile(scenario).replace('at: 1m', 'at: 1 minute'));
    expect(E.isLeft(bad) && bad.left).toMatch(/^generated\.yaml:\d+:\d+: steps\[0\]\.at: invalid duration "1 minute"/);
  });

  it('refuses resource files: a generated scenario is one self-contained file', () => {
    const text = asScenarioFile(scenario).replace('resources:\n', 'resources:\n  - file: x.yaml\n');
    expect(loadScenarioText(text)).toEqual(E.left('generated.yaml: a generated scenario has inline resources only'));
  });
});

describe('runGenerated', () => {
  it('runs the printed file: the VM powers off at 60 s and its node goes NotReady 40–50 s later (1.12)', () => {
    const result = runGenerated(scenario);
    expect(result.steps.map((s) => [s.at, s.command, s.ok])).toEqual([[0, 'kubectl apply -f <resources>', true], [60, 'govc vm.power -off worker-0', true]]);
    const notReady = result.transitions.find((t) => t.object === 'Node/worker-0' && t.to === 'NotReady');
    expect(notReady!.at - 60).toBeGreaterThanOrEqual(40);
    expect(notReady!.at - 60).toBeLessThanOrEqual(50);
  });

  it('throws, with the file, when the printed text does not parse', () => {
    expect(() => runGenerated({ ...scenario, name: 'Not A Label' })).toThrow(/generated scenario does not parse:\n.*metadata\.name/);
  });
});
