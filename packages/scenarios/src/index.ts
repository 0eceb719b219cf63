/**
 * @failsim/scenarios — scenarios over the whole stack. So far: the seed article's
 * environment (its PKS cluster in a simulated vCenter, with the BOSH director that
 * deployed it) and the BOSH vSphere CPI that joins the two.
 * @packageDocumentation
 */
export { articleEnvironment, SEED_DEPLOYMENT, SEED_DIRECTOR, type ArticleEnvironment, type ArticleEnvironmentOptions } from './environment/article-environment.js';
export { defaultVsphereCpiTimings, VsphereCpi, VSPHERE_CPI_INITIATOR, type VsphereCpiOptions, type VsphereCpiTimings } from './environment/vsphere-cpi.js';
export { articleCassandra } from './environment/article-workloads.js';
