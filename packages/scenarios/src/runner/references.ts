// Resolution of `{{ … }}` references (format/reference.ts) against the running
// environment, at the moment a step runs: the scheduler's pick (pod.spec.nodeName), the VM
// behind a node, and the govc device name (`disk-<controllerKey>-<unit>`, as govc
// device.info prints VirtualDisk names: vmware/govmomi object/virtual_device_list.go
// Name(), v0.37) of a claim's VMDK on a VM.
import { canonicalDatastorePath } from '@failsim/vsphere';
import * as E from 'fp-ts/lib/Either.js';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import type { ArticleEnvironment } from '../environment/article-environment.js';
import type { Reference, Template } from '../format/reference.js';

/** The backing file of a PV in the vCenter inventory: a VCP volumePath or a CSI first-class disk. */
export const vmdkOfPv = (env: ArticleEnvironment, pv: PersistentVolume): string | undefined => {
  const path = pv.spec?.vsphereVolume?.volumePath;
  if (path !== undefined) return canonicalDatastorePath(path);
  const handle = pv.spec?.csi?.volumeHandle;
  return handle === undefined ? undefined : env.vcenter.firstClassDisk(handle)?.path;
};

/** Resolves one reference now; Left says what could not be found. */
export const resolveReference = (env: ArticleEnvironment, ref: Reference): E.Either<string, string> => {
  const client = env.cluster.sim.api.client('scenario-runner');
  const nodeOfPod = (namespace: string, name: string): E.Either<string, string> => {
    const pod = client.get('Pod', name, namespace);
    if (E.isLeft(pod)) return E.left(`pod ${namespace}/${name} not found`);
    const node = pod.right.spec?.nodeName;
    return node === undefined ? E.left(`pod ${namespace}/${name} is not scheduled to a node`) : E.right(node);
  };
  const vmOfNode = (node: string): E.Either<string, string> => {
    const vm = env.vmForNode.get(node);
    return vm === undefined ? E.left(`node ${node} has no VM`) : E.right(vm);
  };
  const pvOfPvc = (namespace: string, name: string): E.Either<string, PersistentVolume> => {
    const pvc = client.get('PersistentVolumeClaim', name, namespace);
    if (E.isLeft(pvc)) return E.left(`pvc ${namespace}/${name} not found`);
    const pvName = pvc.right.spec?.volumeName;
    const pv = pvName === undefined ? undefined : client.get('PersistentVolume', pvName);
    return pv === undefined || E.isLeft(pv) ? E.left(`pvc ${namespace}/${name} is not bound`) : E.right(pv.right);
  };
  switch (ref.kind) {
    case 'node-of-pod':
      return nodeOfPod(ref.namespace, ref.pod);
    case 'vm-of-node':
      return vmOfNode(ref.node);
    case 'vm-of-pod':
      return E.chain(vmOfNode)(nodeOfPod(ref.namespace, ref.pod));
    case 'pv-of-pvc':
      return E.map((pv: PersistentVolume) => pv.metadata?.name ?? '')(pvOfPvc(ref.namespace, ref.pvc));
    case 'disk-of-pvc': {
      const pv = pvOfPvc(ref.namespace, ref.pvc);
      if (E.isLeft(pv)) return pv;
      const vmdk = vmdkOfPv(env, pv.right);
      const vm = env.vcenter.vm(ref.vm);
      if (vm === undefined) return E.left(`vm ${ref.vm} not found`);
      const disk = vm.disks.find((d) => d.fileName === vmdk);
      return disk === undefined ? E.left(`the disk of pvc ${ref.namespace}/${ref.pvc} is not on vm ${ref.vm}`) : E.right(`disk-${disk.controllerKey}-${disk.unitNumber}`);
    }
  }
};

/** Resolves every reference of a template; Left names the first that failed. */
export const resolveTemplate = (env: ArticleEnvironment, template: Template): E.Either<string, string> => {
  let text = '';
  for (const part of template.parts) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    const value = resolveReference(env, part);
    if (E.isLeft(value)) return E.left(`cannot resolve a reference in "${template.raw}": ${value.left}`);
    text += value.right;
  }
  return E.right(text);
};
