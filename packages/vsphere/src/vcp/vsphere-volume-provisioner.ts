// Dynamic provisioning and deletion for `kubernetes.io/vsphere-volume`:
// pkg/volume/vsphere_volume/vsphere_volume.go (Provision, Delete) and
// vsphere_volume_util.go (CreateVolume: StorageClass parameters and their errors), with
// legacy-cloud-providers/vsphere/vsphere.go CreateVolume (VolDir "kubevols", default disk
// format thin), Kubernetes v1.12–v1.24 (storage reference §6.1).
import * as E from 'fp-ts/lib/Either.js';
import { quantityValue, type ProvisionedVolume, type ProvisionOptions, type VolumeProvisioner } from '@failsim/controllers';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { VmdkFile } from '../inventory.js';
import type { Vcenter } from '../vcenter.js';
import { VSPHERE_VOLUME_PLUGIN_NAME } from './vsphere-volume-plugin.js';

/** The folder dynamic volumes go to (vsphere.go VolDir). */
export const VOL_DIR = 'kubevols';

/** Options of a {@link VsphereVolumeProvisioner}. */
export interface VsphereVolumeProvisionerOptions {
  readonly vcenter: Vcenter;
  /** vsphere.conf default-datastore; default the vCenter's first datastore. */
  readonly defaultDatastore?: string;
  /** --cluster-name of kube-controller-manager; default `kubernetes`. */
  readonly clusterName?: string;
}

// Bounds of the vSAN capabilities (vsphere_volume_util.go constants) and their error texts,
// whose line breaks and tabs come from Go raw strings.
const CAPABILITIES: Readonly<Record<string, { readonly ok: (v: number) => boolean; readonly error: string }>> = {
  hostfailurestotolerate: { ok: (v) => v >= 0 && v <= 3, error: 'Invalid value for hostFailuresToTolerate.\n\t\t\t\tThe default value is 1, minimum value is 0 and maximum value is 3.' },
  forceprovisioning: { ok: (v) => v >= 0 && v <= 1, error: 'Invalid value for forceProvisioning.\n\t\t\t\tThe value can be either 0 or 1.' },
  cachereservation: { ok: (v) => v >= 0 && v <= 100, error: 'Invalid value for cacheReservation.\n\t\t\t\tThe minimum percentage is 0 and maximum percentage is 100.' },
  diskstripes: { ok: (v) => v >= 1 && v <= 12, error: 'Invalid value for diskStripes.\n\t\t\t\tThe minimum value is 1 and maximum value is 12.' },
  objectspacereservation: { ok: (v) => v >= 0 && v <= 100, error: 'Invalid value for ObjectSpaceReservation.\n\t\t\t\tThe minimum percentage is 0 and maximum percentage is 100.' },
  iopslimit: { ok: (v) => v >= 0, error: 'Invalid value for iopsLimit.\n\t\t\t\tThe value should be greater than 0.' },
};

const DISK_FORMATS: readonly VmdkFile['diskFormat'][] = ['thin', 'zeroedthick', 'eagerzeroedthick'];

/** The StorageClass parameters once validated (vclib VolumeOptions). */
export interface VsphereVolumeOptions {
  readonly diskFormat: VmdkFile['diskFormat'];
  readonly datastore?: string;
  readonly fsType?: string;
  readonly storagePolicyName?: string;
  /** vSAN capabilities given inline, lower-case name → value. */
  readonly capabilities: Readonly<Record<string, number>>;
}

/** Validates StorageClass parameters as vsphere_volume_util.go CreateVolume does (case-insensitive keys). */
export const parseVsphereVolumeParameters = (parameters: Readonly<Record<string, string>>): E.Either<string, VsphereVolumeOptions> => {
  let diskFormat: string | undefined;
  let datastore: string | undefined;
  let fsType: string | undefined;
  let storagePolicyName: string | undefined;
  const capabilities: Record<string, number> = {};
  for (const [key, value] of Object.entries(parameters)) {
    const lower = key.toLowerCase();
    if (lower === 'diskformat') diskFormat = value;
    else if (lower === 'datastore') datastore = value;
    else if (lower === 'fstype') fsType = value;
    else if (lower === 'storagepolicyname') storagePolicyName = value;
    else if (CAPABILITIES[lower]) {
      const n = /^[+-]?\d+$/.test(value) ? Number(value) : Number.NaN;
      if (Number.isNaN(n)) return E.left(`Invalid value for ${lower}. The capabilityValue: ${value} must be a valid integer value`);
      if (!CAPABILITIES[lower].ok(n)) return E.left(CAPABILITIES[lower].error);
      capabilities[lower] = n;
    } else return E.left(`invalid option "${key}" for volume plugin ${VSPHERE_VOLUME_PLUGIN_NAME}`);
  }
  if (Object.keys(capabilities).length > 0 && storagePolicyName !== undefined) {
    return E.left('Cannot specify storage policy capabilities along with storage policy name. Please specify only one');
  }
  const format = diskFormat ?? 'thin';
  if (!(DISK_FORMATS as readonly string[]).includes(format)) {
    // vsphere.go CreateVolume's check (wording Unverified).
    return E.left(`Cannot create disk. Error diskformat "${format}". Valid options are zeroedthick, eagerzeroedthick, thin.`);
  }
  return E.right({
    diskFormat: format as VmdkFile['diskFormat'],
    capabilities,
    ...(datastore !== undefined ? { datastore } : {}),
    ...(fsType !== undefined ? { fsType } : {}),
    ...(storagePolicyName !== undefined ? { storagePolicyName } : {}),
  });
};

/**
 * Provisions `[ds] kubevols/kubernetes-dynamic-pvc-<uid>.vmdk` for a claim and deletes it
 * when a released volume's reclaim policy is Delete.
 */
export class VsphereVolumeProvisioner implements VolumeProvisioner {
  readonly name = VSPHERE_VOLUME_PLUGIN_NAME;
  readonly provisionDurationMs = 1_000;
  readonly deleteDurationMs = 500;
  readonly #o: VsphereVolumeProvisionerOptions;

  constructor(options: VsphereVolumeProvisionerOptions) {
    this.#o = options;
  }

  provision(claim: PersistentVolumeClaim, storageClass: StorageClass, options: ProvisionOptions): E.Either<string, ProvisionedVolume> {
    const parsed = parseVsphereVolumeParameters(storageClass.parameters ?? {});
    if (E.isLeft(parsed)) return parsed;
    if (claim.spec?.selector) return E.left('claim.Spec.Selector is not supported for dynamic provisioning on vSphere');
    const request = claim.spec?.resources?.requests?.['storage'] ?? '0';
    const capacityInKB = Math.ceil(quantityValue(request) / 1024);
    const p = parsed.right;
    const datastore = p.datastore ?? this.#o.defaultDatastore ?? this.#o.vcenter.datastores()[0]?.name ?? '';
    // GenerateVolumeName(clusterName, pvName, 255): "<cluster>-dynamic-<pv name>".
    const name = `${this.#o.clusterName ?? 'kubernetes'}-dynamic-${options.pvName}`;
    const created = this.#o.vcenter.createDisk(
      {
        path: `[${datastore}] ${VOL_DIR}/${name}.vmdk`,
        capacityInKB,
        diskFormat: p.diskFormat,
        ...(p.storagePolicyName !== undefined ? { storagePolicy: p.storagePolicyName } : {}),
        ...(p.capabilities['forceprovisioning'] === 1 ? { forceProvisioning: true } : {}),
      },
      { initiator: 'vsphere-cloud-provider' },
    );
    if (E.isLeft(created)) return E.left(created.left.message);
    return E.right({
      metadata: { annotations: { 'kubernetes.io/createdby': 'vsphere-volume-dynamic-provisioner' } },
      spec: {
        capacity: { storage: request },
        accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: options.reclaimPolicy,
        vsphereVolume: {
          volumePath: created.right.path,
          fsType: p.fsType ?? 'ext4',
          ...(p.storagePolicyName !== undefined ? { storagePolicyName: p.storagePolicyName } : {}),
        },
      },
    });
  }

  delete(pv: PersistentVolume): E.Either<string, void> {
    const path = pv.spec?.vsphereVolume?.volumePath;
    if (path === undefined) return E.left(`volume ${pv.metadata?.name ?? ''} is not a vSphere volume`);
    const deleted = this.#o.vcenter.deleteDisk(path, { initiator: 'vsphere-cloud-provider' });
    return E.isLeft(deleted) ? E.left(deleted.left.message) : E.right(undefined);
  }
}
