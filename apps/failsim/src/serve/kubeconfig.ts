// The kubeconfig `failsim serve` writes (client-go's clientcmd v1 Config): one cluster at
// the server's URL, context `failsim`, and a user with no credentials, since the server
// asks for none. Written as YAML by hand: the shape is fixed and tiny.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The context (and cluster and user) name in the kubeconfig. */
export const KUBECONFIG_CONTEXT = 'failsim';

/** The kubeconfig text for a server at `url`. */
export const kubeconfigText = (url: string): string =>
  [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${KUBECONFIG_CONTEXT}`,
    '  cluster:',
    `    server: ${JSON.stringify(url)}`,
    'contexts:',
    `- name: ${KUBECONFIG_CONTEXT}`,
    '  context:',
    `    cluster: ${KUBECONFIG_CONTEXT}`,
    `    user: ${KUBECONFIG_CONTEXT}`,
    `current-context: ${KUBECONFIG_CONTEXT}`,
    'preferences: {}',
    'users:',
    `- name: ${KUBECONFIG_CONTEXT}`,
    '  user: {}',
    '',
  ].join('\n');

/** Where the kubeconfig goes without --kubeconfig: a file in the temp directory named after the port. */
export const defaultKubeconfigPath = (port: number): string => join(tmpdir(), `failsim-${port}.kubeconfig`);

/** Writes the kubeconfig (mode 0600, as kubectl writes its own) and returns its path. */
export const writeKubeconfig = (path: string, url: string): string => {
  writeFileSync(path, kubeconfigText(url), { mode: 0o600 });
  return path;
};
