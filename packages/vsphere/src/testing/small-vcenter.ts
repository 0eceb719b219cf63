// Test helpers shared by this package's specs (not part of the public API).
import { SeededRandom, SimClock } from '@failsim/core';
import { RAID1_POLICY } from '../inventory.js';
import { Vcenter } from '../vcenter.js';

/** A vCenter with three hosts, vsanDatastore, the raid-1 policy, and VMs vm-a and vm-b (on) and vm-c (off). */
export const smallVcenter = (): Vcenter => {
  const vcenter = new Vcenter({ clock: new SimClock(), random: new SeededRandom('vsphere-test') });
  for (const host of ['10.27.51.11', '10.27.51.12', '10.27.51.13']) vcenter.addHost(host);
  vcenter.addDatastore({ name: 'vsanDatastore', type: 'vsan', capacityBytes: 2 ** 40 });
  vcenter.addStoragePolicy(RAID1_POLICY);
  vcenter.createVm({ name: 'vm-a', host: '10.27.51.11', ipAddress: '10.27.51.185' });
  vcenter.createVm({ name: 'vm-b', host: '10.27.51.12', ipAddress: '10.27.51.186' });
  vcenter.createVm({ name: 'vm-c', host: '10.27.51.13', powerState: 'poweredOff' });
  return vcenter;
};
