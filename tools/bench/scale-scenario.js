// The scale benchmark's standard run (issue 8) as a scenario file, so that a zone failure
// in a large cluster can be run, watched and checked like any other scenario: `failsim run`,
// `failsim dash`, `failsim serve` for real kubectl. The cluster and workloads are
// scale-cluster.js's (N workers round-robin in three zones, 30 Pods a node, 10% in
// StatefulSets with a vSphere disk each, profile 1.14); the steps are the run's: workloads
// applied at 1 min (once the nodes have joined), the zone's VMs powered off at 15 min
// through vCenter, its Node objects deleted at 30 min, the run ends at 70 min. The
// expectations are upstream's timings for the failure (see the comments in the file).
// Writes zone-failure-N.yaml and its manifests (zone-failure-N-workloads-K.yaml, at most
// 250 documents each: a scenario's manifest file holds 256) into --out.
// Run: node tools/bench/scale-scenario.js --nodes 300 [--out DIR]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Document, stringify } from 'yaml';
import { benchArgs } from './bench-args.js';
import { BENCH_DATASTORE, scaleNodes, scaleWorkloads, ZONES, PODS_PER_NODE } from './scale-cluster.js';

/** Documents per manifest file: a scenario's YAML file may hold 256 (DEFAULT_YAML_LIMITS). */
const DOCUMENTS_PER_FILE = 250;
/**
 * Kubernetes' documented limit, the bench's largest run. The StatefulSets' disks are thin
 * (the in-tree plugin's default diskformat) and vSAN's default policy reserves none of a
 * thin object's space, so the runner's 4 TiB datastore takes the 15,000 disks of 5,000
 * workers as vSAN would (the model does not count a datastore's space).
 */
export const MAX_NODES = 5_000;
const DEAD_ZONE = ZONES[2];
const WORKLOADS_AT = '1m';
const ZONE_DOWN_AT = '15m';
const DELETE_AT = '30m';
const UNTIL = '70m';

/** As many ESXi hosts as scale-cluster.js gives vCenter (one per 50 nodes, at least three); the nodes' VMs go round them in turn. */
const hostsFor = (n) => Array.from({ length: Math.max(3, Math.ceil(n / 50)) }, (_, i) => `esxi-${String(i + 1).padStart(3, '0')}`);

/**
 * The scenario file's text and its manifest files (name → text) for `n` workers: the
 * standard run of scale-run.js, in the scenario vocabulary.
 * @param {number} n workers, 3 … MAX_NODES
 * @returns {{ name: string, scenario: string, manifests: Map<string, string> }}
 */
export const scaleScenario = (n) => {
  const name = `zone-failure-${n}`;
  const hosts = hostsFor(n);
  const nodes = scaleNodes(n).map((node, i) => ({ ...node, host: hosts[i % hosts.length] }));
  const dead = nodes.filter((node) => node.zone === DEAD_ZONE && node.role === 'worker');
  const first = dead[0].name;

  const workloads = scaleWorkloads(n);
  const manifests = new Map();
  for (let at = 0, k = 1; at < workloads.length; at += DOCUMENTS_PER_FILE, k++) {
    const docs = workloads.slice(at, at + DOCUMENTS_PER_FILE);
    manifests.set(`${name}-workloads-${k}.yaml`, docs.map((doc) => stringify(doc)).join('---\n'));
  }

  const steps = [
    ...[...manifests.keys()].map((file, i) => ({ id: `workloads-${i + 1}`, at: WORKLOADS_AT, run: `kubectl apply -f ${file}` })),
    { id: 'zone-down', at: ZONE_DOWN_AT, run: `govc vm.power -off ${dead.map((node) => node.name).join(' ')}` },
    { id: 'delete-nodes', at: DELETE_AT, run: `kubectl delete node -l topology.kubernetes.io/zone=${DEAD_ZONE}` },
  ];
  /** Each expectation with why upstream gives it (a comment above it in the file). */
  const expectations = [
    [
      'NotReady node-monitor-grace-period (40 s) after the last Lease renewal (every 10 s, so 0-10 s\n' +
        'before the power-off), at the next node-monitor-period pass (5 s); and so until the Node goes.',
      { state: { object: `node/${first}`, status: 'NotReady', within: '30s..50s', after: 'zone-down' } },
    ],
    ['', { held: { object: `node/${first}`, status: 'NotReady', for: '14m', after: 'zone-down' } }],
    [
      'TaintBasedEvictions (beta, on in 1.14): a NoExecute taint once NotReady, the zone\'s nodes tainted\n' +
        'at --node-eviction-rate (0.1/s: a fully disrupted zone beside healthy ones keeps the primary\n' +
        'rate); a Pod is evicted after the 300 s toleration DefaultTolerationSeconds gives it.',
      { event: { reason: 'TaintManagerEviction', message: 'Marking for deletion Pod bench/', after: 'zone-down', within: '5m30s..6m' } },
    ],
    [
      `At that rate the zone's ${dead.length} nodes are tainted NoExecute one every 10 s, from the pass after\n` +
        'the one that set Ready=Unknown (the transcript\'s taints lines give the order, which the Lease\n' +
        'renewals\' phases decide): whatever this node\'s place, by the last one\'s time.',
      { state: { object: `node/${first}`, taint: 'node.kubernetes.io/unreachable:NoExecute', within: `35s..${56 + 10 * (dead.length - 1)}s`, after: 'zone-down' } },
    ],
    [
      'kubectl delete node: the pod GC deletes the dead nodes\' Pods, the StatefulSets make them again\n' +
        'elsewhere, and their disks are still attached to the powered-off VMs.',
      { event: { reason: 'FailedAttachVolume', message: 'Multi-Attach error for volume', after: 'delete-nodes', within: '20s' } },
    ],
    [
      'The attach/detach controller detaches them by force after maxWaitForUnmountDuration (6 min).',
      { event: { reason: 'SuccessfulAttachVolume', after: 'delete-nodes', within: '6m..6m40s' } },
    ],
  ];
  const scenario = {
    metadata: {
      name,
      title: `Zone failure in a ${n}-node cluster (1.14, VCP)`,
      description:
        `${n} workers in three zones, ${n * PODS_PER_NODE} Pods (10% in StatefulSets with a vSphere disk each); ` +
        `at ${ZONE_DOWN_AT} the VMs of ${DEAD_ZONE} (${dead.length} nodes) are powered off, at ${DELETE_AT} their Nodes are deleted.`,
    },
    profile: '1.14',
    storage: 'vcp',
    cluster: {
      nodes,
      vsphere: { hosts, datastores: [{ name: BENCH_DATASTORE, policies: ['raid-1'] }] },
    },
    steps,
    until: UNTIL,
    expectations: expectations.map(([, expectation]) => expectation),
    seed: 42,
  };
  const header =
    `# Generated by tools/bench/scale-scenario.js --nodes ${n}: the scale benchmark's standard run\n` +
    `# (docs/performance.md, Method) as a scenario file. Regenerate rather than edit.\n`;
  const document = new Document(scenario, { lineWidth: 0 });
  // One line a node and an expectation, as the library's scenarios write them.
  for (const item of document.getIn(['cluster', 'nodes']).items) item.flow = true;
  document.getIn(['expectations']).items.forEach((item, i) => {
    item.items[0].value.flow = true;
    const [comment] = expectations[i];
    if (comment !== '') item.commentBefore = comment.split('\n').map((line) => ` ${line}`).join('\n');
  });
  return { name, scenario: header + document.toString({ lineWidth: 0 }), manifests };
};

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const { flag } = benchArgs();
  const n = Number(flag('--nodes', '300'));
  const out = flag('--out', '.');
  if (!Number.isInteger(n) || n < 3 || n > MAX_NODES) {
    console.error(`error: --nodes takes an integer from 3 to ${MAX_NODES} (Kubernetes' documented limit)`);
    process.exit(2);
  }
  const { name, scenario, manifests } = scaleScenario(n);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${name}.yaml`), scenario);
  for (const [file, text] of manifests) writeFileSync(join(out, file), text);
  console.log(join(out, `${name}.yaml`));
}
