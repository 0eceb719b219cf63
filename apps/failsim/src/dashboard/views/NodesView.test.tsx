import { describe, expect, it } from '@jest/globals';
import { nodeRow, plainFrame } from './fixtures.js';
import { NodesView } from './NodesView.js';

const rows = [nodeRow('master-0', { roles: 'master', pods: 7 }), nodeRow('worker-2', { status: 'NotReady', power: 'poweredOff', heartbeat: '50s', taints: 'node.kubernetes.io/unreachable:NoExecute' })];

describe('NodesView', () => {
  it('prints kubectl get nodes -o wide columns plus VM power, heartbeat, pods and taints', () => {
    const text = plainFrame(<NodesView rows={rows} width={200} height={10} />);
    expect(text).toMatch(/^── Nodes\[2\] ─/);
    expect(text).toMatch(/^NAME +STATUS +ROLES +AGE +VERSION +INTERNAL-IP +VM +POWER +HEARTBEAT +PODS +TAINTS$/m);
    expect(text).toMatch(/^worker-2 +NotReady +<none> +5m +v1\.12\.4 +10\.0\.0\.11 +worker-2 +poweredOff +50s +3 +node\.kubernetes\.io\/unreachable:NoExecute$/m);
  });

  it('keeps NAME, STATUS, POWER and HEARTBEAT at 60 columns', () => {
    const text = plainFrame(<NodesView rows={rows} width={60} height={10} />);
    expect(text).toMatch(/^NAME +STATUS +POWER +HEARTBEAT/m);
    expect(text).toMatch(/^worker-2 +NotReady +poweredOff +50s/m);
  });

  it('shows the filter in the title and marks changed rows', () => {
    const text = plainFrame(<NodesView rows={rows} width={200} height={10} filter="worker" changed={[false, true]} />);
    expect(text).toMatch(/^── Nodes\[2\] \/worker ─/);
    expect(text).toMatch(/^worker-2 .* \*$/m);
  });
});
