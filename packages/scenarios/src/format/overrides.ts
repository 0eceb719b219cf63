// Profile overrides by upstream name, shared by a scenario's `overrides:` (typed YAML
// values) and the command line's `--set NAME=VALUE` (text): options and behaviours by
// camelCase or flag name (`nodeMonitorGracePeriod`, `--node-monitor-grace-period`),
// feature gates by their own name; durations Go-style, counts, rates and `…Seconds` plain
// numbers, as the flags of kube-controller-manager and kubelet take them.
import type { ProfileOverrides, VersionProfile } from '@failsim/controllers';
import * as E from 'fp-ts/lib/Either.js';
import { didYouMean } from './did-you-mean.js';
import { parseDuration } from './duration.js';
import { yamlType } from './yaml-source.js';

/** The three groups of a profile that can be overridden. */
export const OVERRIDE_GROUPS = ['options', 'features', 'behaviours'] as const;
/** One of {@link OVERRIDE_GROUPS}. */
export type OverrideGroup = (typeof OVERRIDE_GROUPS)[number];

/** Option names that are numbers but not durations (counts, rates, seconds). */
const PLAIN_NUMBERS = new Set(['nodeEvictionRate', 'secondaryNodeEvictionRate', 'unhealthyZoneThreshold', 'largeClusterSizeThreshold', 'terminatedPodGCThreshold', 'percentageOfNodesToScore']);
const SCHEDULER_FRAMEWORKS = ['predicates', 'filter-plugins', 'prefilter-plugins'];

/** `--node-monitor-grace-period` / `node-monitor-grace-period` → `nodeMonitorGracePeriod`. */
export const camelName = (flag: string): string => flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The key of `written` in `group` of `profile`, or undefined when the group has none. */
export const overrideKey = (profile: VersionProfile, group: OverrideGroup, written: string): string | undefined => {
  const name = group === 'features' ? written : camelName(written);
  return name in (profile[group] as object) ? name : undefined;
};

const isDuration = (name: string, current: unknown): boolean => typeof current === 'number' && !PLAIN_NUMBERS.has(name) && !/Seconds$/.test(name);

/** Checks a YAML value for setting `name` (default `current`): durations in ms, the rest as typed. */
export const overrideValue = (name: string, current: unknown, value: unknown): E.Either<string, unknown> => {
  if (isDuration(name, current)) return typeof value === 'string' ? parseDuration(value) : E.left(`expected a duration such as "40s", got ${yamlType(value)}`);
  if (Array.isArray(current)) return Array.isArray(value) && value.every((v) => typeof v === 'string') ? E.right(value) : E.left('expected a list of strings');
  if (typeof value !== typeof current) return E.left(`expected ${typeof current}, got ${yamlType(value)}`);
  if (name === 'schedulerFramework' && !SCHEDULER_FRAMEWORKS.includes(String(value))) return E.left(`must be one of ${SCHEDULER_FRAMEWORKS.map((v) => JSON.stringify(v)).join(', ')}; got ${JSON.stringify(value)}`);
  return E.right(value);
};

/** The text of a `--set` value, read as the YAML value it stands for (by the default's type). */
const valueOfText = (name: string, current: unknown, text: string): E.Either<string, unknown> => {
  if (typeof current === 'boolean') return text === 'true' ? E.right(true) : text === 'false' ? E.right(false) : E.left(`expected true or false, got ${JSON.stringify(text)}`);
  if (Array.isArray(current)) {
    const items = text.split(',').map((item) => item.trim());
    return items.some((item) => item === '') ? E.left(`expected a comma-separated list such as "Ready,MemoryPressure", got ${JSON.stringify(text)}`) : E.right(items);
  }
  if (typeof current === 'number' && !isDuration(name, current)) return /^\d+(\.\d+)?$/.test(text) ? E.right(Number(text)) : E.left(`expected a non-negative number, got ${JSON.stringify(text)}`);
  return E.right(text);
};

/**
 * One `NAME=VALUE` setting as overrides of `profile` (any profile: every one has every key).
 * Left: one message — a missing `=`, an unknown name with a did-you-mean, or a bad value.
 * @example parseSetting(profile, 'node-monitor-grace-period=50s') // Right({ options: { nodeMonitorGracePeriod: 50_000 } })
 */
export const parseSetting = (profile: VersionProfile, text: string): E.Either<string, ProfileOverrides> => {
  const eq = text.indexOf('=');
  if (eq <= 0) return E.left('expected NAME=VALUE, e.g. node-monitor-grace-period=50s or NodeOutOfServiceVolumeDetach=false');
  const written = text.slice(0, eq).trim();
  const valueText = text.slice(eq + 1).trim();
  for (const group of OVERRIDE_GROUPS) {
    const name = overrideKey(profile, group, written);
    if (name === undefined) continue;
    const current = (profile[group] as unknown as Record<string, unknown>)[name];
    const value = E.chain((v: unknown) => overrideValue(name, current, v))(valueOfText(name, current, valueText));
    return E.isLeft(value) ? E.left(`${name}: ${value.left}`) : E.right({ [group]: { [name]: value.right } });
  }
  const known = OVERRIDE_GROUPS.flatMap((group) => Object.keys(profile[group] as object));
  return E.left(`unknown option, feature gate or behaviour "${written}"${didYouMean(camelName(written), known)}`);
};

/** `later` over `earlier`, group by group (a later value of the same name wins). */
export const mergeOverrides = (earlier: ProfileOverrides, later: ProfileOverrides): ProfileOverrides => {
  const merged: { -readonly [G in OverrideGroup]?: ProfileOverrides[G] } = { ...earlier };
  for (const group of OVERRIDE_GROUPS) if (later[group]) Object.assign(merged, { [group]: { ...earlier[group], ...later[group] } });
  return merged;
};
