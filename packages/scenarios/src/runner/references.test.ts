import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { articleEnvironment } from '../environment/article-environment.js';
import { parseTemplate } from '../format/reference.js';
import { resolveTemplate } from './references.js';

const template = (text: string) => {
  const t = parseTemplate(text);
  if (E.isLeft(t)) throw new Error(t.left);
  return t.right;
};

describe('resolveTemplate', () => {
  const env = articleEnvironment({ seed: 'references', nodes: [{ name: 'w1', role: 'worker' }], vmName: () => 'vm-w1' });
  it('resolves the VM of a node and keeps literal text', () => {
    expect(resolveTemplate(env, template('govc vm.power -off {{ vm of node w1 }}'))).toEqual(E.right('govc vm.power -off vm-w1'));
  });
  it('says which lookup failed', () => {
    expect(resolveTemplate(env, template('{{ node of pod ns/p-0 }}'))).toEqual(E.left('cannot resolve a reference in "{{ node of pod ns/p-0 }}": pod ns/p-0 not found'));
    expect(resolveTemplate(env, template('{{ disk of pvc ns/c on vm vm-w1 }}'))).toEqual(E.left('cannot resolve a reference in "{{ disk of pvc ns/c on vm vm-w1 }}": pvc ns/c not found'));
    expect(resolveTemplate(env, template('pv/{{ pv of pvc ns/c }}'))).toEqual(E.left('cannot resolve a reference in "pv/{{ pv of pvc ns/c }}": pvc ns/c not found'));
  });
});
