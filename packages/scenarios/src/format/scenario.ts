// The typed result of a scenario file (see README "Scenario format"). Durations are
// milliseconds of virtual time; strings that may hold `{{ … }}` references are Templates.
import type { ProfileOverrides, VersionProfile } from '@failsim/controllers';
import type { Command } from './command.js';
import type { TimeWindow } from './duration.js';
import type { Template } from './reference.js';

/** Where something was written: file, 1-based line and column. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A Kubernetes object named by `kind/name` or `kind/namespace/name` (kind as kubectl's singular). */
export interface ObjectRef {
  readonly kind: 'node' | 'pod' | 'pvc' | 'pv' | 'statefulset' | 'deployment' | 'vm';
  readonly namespace?: string;
  readonly name: Template;
}

/** A cluster node. */
export interface ScenarioNode {
  readonly name: string;
  readonly role: 'control-plane' | 'worker';
  readonly zone?: string;
  readonly host?: string;
  /** The node's VM; the node name when not given. */
  readonly vm: string;
}

/** The simulated cluster. */
export interface ScenarioCluster {
  readonly nodes: readonly ScenarioNode[];
  readonly vsphere?: { readonly hosts: readonly string[]; readonly datastores: readonly { readonly name: string; readonly policies: readonly string[] }[] };
  readonly bosh?: { readonly deployment: string; readonly director?: string };
}

/** A Kubernetes manifest as applied: apiVersion, kind and metadata.name checked, the rest kept. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** One `resources:` item: an inline manifest, or a file still to load (loadScenario loads it). */
export type ResourceEntry =
  | { readonly source: 'inline'; readonly manifest: Manifest; readonly position: SourcePosition }
  | { readonly source: 'file'; readonly path: string; readonly position: SourcePosition };

/** When a step runs. */
export type StepTrigger =
  | { readonly kind: 'at'; readonly atMs: number }
  | { readonly kind: 'after'; readonly afterMs: number }
  | { readonly kind: 'when'; readonly object: ObjectRef; readonly status: string; readonly timeoutMs: number };

/** A step: a command and when it runs. */
export interface ScenarioStep {
  /** The step's id, or `step-<n>` (1-based) when not given. */
  readonly id: string;
  readonly title?: string;
  readonly trigger: StepTrigger;
  /** The command line as written. */
  readonly line: string;
  readonly command: Command;
  readonly position: SourcePosition;
}

/**
 * What a `state` or `held` expectation asks of its object: a status (kubectl STATUS, a VM's
 * power, a PV's VMs, or `absent`), or, for a Node, that it carries a taint (`absent`: that
 * it does not). A taint is `key`, `key:Effect` or `key=value:Effect`; a shorter form
 * matches any value (and effect).
 */
export type StateCondition = { readonly status: string } | { readonly taint: string; readonly absent: boolean };

/** What must happen. `after` is a step id; absent = from the scenario's start. */
export type Expectation =
  | ({ readonly kind: 'state'; readonly object: ObjectRef; readonly within: TimeWindow; readonly after?: string; readonly position: SourcePosition } & StateCondition)
  | ({ readonly kind: 'held'; readonly object: ObjectRef; readonly forMs: number; readonly after?: string; readonly position: SourcePosition } & StateCondition)
  | {
      readonly kind: 'event';
      readonly reason: string;
      /** Substring, or a RegExp when written `/…/flags`. */
      readonly message?: string | RegExp;
      readonly object?: ObjectRef;
      readonly after?: string;
      readonly within?: TimeWindow;
      readonly position: SourcePosition;
    }
  | {
      readonly kind: 'data';
      readonly pod: { readonly namespace: string; readonly name: Template };
      readonly query: string;
      readonly contains: string;
      readonly absent: boolean;
      readonly after?: string;
      readonly within?: TimeWindow;
      readonly position: SourcePosition;
    };

/** A parsed, validated scenario. */
export interface Scenario {
  readonly file: string;
  readonly metadata: { readonly name: string; readonly title: string; readonly description?: string };
  /** The version profile with the overrides applied. */
  readonly profile: VersionProfile;
  readonly overrides: ProfileOverrides;
  readonly storage: 'vcp' | 'csi';
  readonly cluster: ScenarioCluster;
  readonly resources: readonly ResourceEntry[];
  readonly steps: readonly ScenarioStep[];
  readonly expectations: readonly Expectation[];
  readonly seed: number;
  /** End of the run in virtual milliseconds; absent = when the last expectation is decided. */
  readonly untilMs?: number;
}
