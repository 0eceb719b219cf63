/**
 * @failsim/scenarios — scenarios over the whole stack. So far: the seed article's
 * environment (its PKS cluster in a simulated vCenter, with the BOSH director that
 * deployed it) and the BOSH vSphere CPI that joins the two.
 * @packageDocumentation
 */
export { articleEnvironment, SEED_DEPLOYMENT, SEED_DIRECTOR, type ArticleEnvironment, type ArticleEnvironmentOptions } from './environment/article-environment.js';
export { defaultVsphereCpiTimings, VsphereCpi, VSPHERE_CPI_INITIATOR, type VsphereCpiOptions, type VsphereCpiTimings } from './environment/vsphere-cpi.js';
export { articleCassandra } from './environment/article-workloads.js';
export { camelName, mergeOverrides, overrideKey, overrideValue, parseSetting, OVERRIDE_GROUPS, type OverrideGroup } from './format/overrides.js';
export { parseScenario, parseObjectRef, checkRelativePath, scenarioFromSource, storageMismatch, undeclaredDatastore, parseTaint, type ParseScenarioOptions } from './format/parse-scenario.js';
export { loadScenario, type LoadedManifest, type LoadedScenario } from './format/load-scenario.js';
export { formatScenarioError, formatPath, type ScenarioError } from './format/scenario-error.js';
export { scenarioSchema } from './format/scenario-schema.js';
export { parseCommand, splitWords, BOSH_RESOLUTIONS, type Command, type KubectlCommand, type GovcCommand, type BoshCommand, type FaultCommand, type TaintArg } from './format/command.js';
export { parseTemplate, parseReference, isLiteral, type Reference, type Template } from './format/reference.js';
export { parseDuration, parseWindow, DURATION_HINT, type TimeWindow } from './format/duration.js';
export { readYaml, DEFAULT_YAML_LIMITS, type YamlLimits, type YamlSource } from './format/yaml-source.js';
export type { Scenario, ScenarioStep, StepTrigger, Expectation, ObjectRef, Manifest, ResourceEntry, ScenarioCluster, ScenarioNode, SourcePosition, StateCondition } from './format/scenario.js';
export { runScenario, type HazardRecord, type RunObserver, type RunOptions, type ScenarioResult, type ScenarioRun, type StepRecord, type UpcomingStep } from './runner/runner.js';
export { Recorder, objectKey, formatTaint, nodeTaints, type RecordedEvent, type RecorderListener, type Transition, type TransitionField } from './runner/recorder.js';
export { ABSENT, carriesTaint, checkExpectation, expectationField, describeExpectation, formatMs, type DataProbe, type ExpectationContext, type ExpectationResult } from './runner/expectations.js';
export { resolveReference, resolveTemplate, vmdkOfPv } from './runner/references.js';
export { DEFAULT_SCENARIO, findLibraryScenario, LIBRARY_DIR, libraryScenarios, type LibraryScenario } from './library/library.js';
export { ARTICLE_OBSERVATIONS, observationTable, type ArticleObservation } from './library/article-observations.js';
export { ARTICLE_CQL, writeArticleRow } from './environment/article-workloads.js';
export { detectHazards, HAZARD_SOURCE, type Hazard, type HazardDetector, type HazardDetectorOptions, type HazardKind } from './hazards/detect-hazards.js';
