import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from './load-scenario.js';
import { formatScenarioError } from './scenario-error.js';

const testdata = fileURLToPath(new URL('./testdata', import.meta.url));

const base = `metadata: { name: x, title: X }
profile: "1.14"
storage: csi
cluster:
  nodes: [{ name: w1, role: worker }]
steps:
  - at: 1m
    run: partition node w1
resources:
`;

/** A scenario folder in a fresh temporary directory. */
const folder = (files: Record<string, string>): string => {
  const dir = mkdtempSync(join(tmpdir(), 'failsim-scenario-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};

const errorsOf = (path: string): string[] => {
  const result = loadScenario(path);
  return E.isLeft(result) ? result.left.map((e) => formatScenarioError(e).replace(path.replace(/x\.yaml$/, ''), '')) : ['(loaded)'];
};

describe('loadScenario', () => {
  it('loads the library\'s default scenario with its resource files, each manifest with its position', () => {
    const result = loadScenario(fileURLToPath(new URL('../../library/statefulset-node-poweroff.yaml', import.meta.url)));
    if (E.isLeft(result)) throw new Error(result.left.map(formatScenarioError).join('\n'));
    expect(result.right.manifests.map((m) => `${m.manifest.kind}/${m.manifest.metadata.name}`)).toEqual(['Namespace/cassandra', 'StorageClass/cass-sc', 'StatefulSet/cassandra']);
    expect(result.right.manifests[2]?.position).toMatchObject({ file: expect.stringMatching(/manifests\/cassandra-statefulset\.yaml$/), line: 4, column: 1 });
  });

  it('refuses a StorageClass file of the other storage plugin, naming the file and field', () => {
    const dir = folder({ 'x.yaml': `${base}  - file: sc.yaml\n`, 'sc.yaml': 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: thin }\nprovisioner: kubernetes.io/vsphere-volume\n' });
    expect(errorsOf(join(dir, 'x.yaml'))).toEqual([
      'sc.yaml:4:14: provisioner: StorageClass "thin" uses kubernetes.io/vsphere-volume but the scenario has storage: csi (use csi.vsphere.vmware.com, or storage: vcp)',
    ]);
  });

  it('refuses a StorageClass naming a datastore the scenario does not declare, naming file, line and parameter', () => {
    const vsphere = '  vsphere: { hosts: [h1], datastores: [{ name: vsanDatastore }, { name: nfsDatastore }] }\n';
    const withVsphere = base.replace('storage: csi', 'storage: vcp').replace('  nodes: [{ name: w1, role: worker }]\n', `  nodes: [{ name: w1, role: worker }]\n${vsphere}`);
    const sc = (parameters: string): string => `apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: fast }\nprovisioner: kubernetes.io/vsphere-volume\nparameters:\n${parameters}`;
    const dir = folder({ 'x.yaml': `${withVsphere}  - file: sc.yaml\n`, 'sc.yaml': sc('  Datastore: nfsDatastor\n') });
    expect(errorsOf(join(dir, 'x.yaml'))).toEqual([
      'sc.yaml:6:14: parameters.Datastore: StorageClass "fast" names datastore "nfsDatastor", which cluster.vsphere.datastores does not declare (it has vsanDatastore, nfsDatastore) (did you mean "nfsDatastore"?)',
    ]);
    // The second datastore declared is as good as the first; a scenario without cluster.vsphere has vsanDatastore only.
    expect(errorsOf(join(folder({ 'x.yaml': `${withVsphere}  - file: sc.yaml\n`, 'sc.yaml': sc('  datastore: nfsDatastore\n') }), 'x.yaml'))).toEqual(['(loaded)']);
    const csi = 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: csi }\nprovisioner: csi.vsphere.vmware.com\nparameters:\n  datastoreurl: ds:///vmfs/volumes/nfsDatastore/\n';
    expect(errorsOf(join(folder({ 'x.yaml': `${base}  - file: sc.yaml\n`, 'sc.yaml': csi }), 'x.yaml'))).toEqual([
      'sc.yaml:6:17: parameters.datastoreurl: StorageClass "csi" names datastore "nfsDatastore", which a scenario without cluster.vsphere has only vsanDatastore (did you mean "vsanDatastore"?)',
    ]);
  });

  it('refuses a StorageClass on an undeclared datastore in a file a step applies, and leaves the rest of such files to the run', () => {
    const applied = `${base.replace('storage: csi', 'storage: vcp').replace('run: partition node w1', 'run: kubectl apply -f later.yaml')}  - file: ns.yaml\n`;
    const sc = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: fast }\nprovisioner: kubernetes.io/vsphere-volume\nparameters: { datastore: ds9 }\n';
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: x }\n';
    expect(errorsOf(join(folder({ 'x.yaml': applied, 'ns.yaml': ns, 'later.yaml': sc }), 'x.yaml'))).toEqual([
      'later.yaml:9:26: [1].parameters.datastore: StorageClass "fast" names datastore "ds9", which a scenario without cluster.vsphere has only vsanDatastore',
    ]);
    // A missing file, or one kubectl would refuse, fails its step when it runs, as kubectl does.
    expect(errorsOf(join(folder({ 'x.yaml': applied, 'ns.yaml': ns }), 'x.yaml'))).toEqual(['(loaded)']);
    expect(errorsOf(join(folder({ 'x.yaml': applied, 'ns.yaml': ns, 'later.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: { name: a }\n' }), 'x.yaml'))).toEqual(['(loaded)']);
  });

  it('refuses a symlink out of the folder', () => {
    const dir = folder({ 'x.yaml': `${base}  - file: link.yaml\n` });
    symlinkSync(join(testdata, 'outside', 'cm.yaml'), join(dir, 'link.yaml'));
    expect(errorsOf(join(dir, 'x.yaml'))).toEqual(['x.yaml:10:5: resources[0].file: path "link.yaml" leads outside the scenario\'s folder (symlink)']);
  });

  it('refuses a missing file and a manifest without kind, naming the resource file', () => {
    const dir = folder({ 'x.yaml': `${base}  - file: nope.yaml\n  - file: bad.yaml\n`, 'bad.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: { name: a }\n---\napiVersion: v1\nmetadata:\n  name: b\n' });
    expect(errorsOf(join(dir, 'x.yaml'))).toEqual([
      'x.yaml:10:5: resources[0].file: no file "nope.yaml" in the scenario\'s folder',
      'bad.yaml:1:1: [0].spec.containers: Pod "a" is invalid: spec.containers: Required value',
      'bad.yaml:5:1: [1]: missing required field "kind"',
    ]);
  });

  it('refuses a file that does not exist', () => {
    expect(E.isLeft(loadScenario('/nonexistent/x.yaml')) && loadScenario('/nonexistent/x.yaml')).toEqual(E.left([{ file: '/nonexistent/x.yaml', line: 1, column: 1, path: '', message: 'no such file' }]));
  });
});
