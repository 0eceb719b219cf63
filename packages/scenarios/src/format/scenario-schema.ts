// The JSON Schema of scenario files (draft 2020-12). It is the source of
// scenario.schema.json, which ships in the package for editors (yaml-language-server:
// `# yaml-language-server: $schema=…/scenario.schema.json`); scenario-schema.test.ts keeps the
// two equal. The parser validates against it before its semantic checks, so structural
// errors (unknown fields, wrong types, missing fields) read the same in editors and in failsim.

const duration = { $ref: '#/$defs/duration' } as const;
const text = { type: 'string', minLength: 1 } as const;
// A `state`/`held` expectation has one of `status` and `taint`; the parser says so (a oneOf
// here would make ajv report each branch's missing field too).
const stateCondition = {
  status: { ...text, description: 'kubectl STATUS (node/, pod/), power state (vm/), attached VMs (pv/), or "absent".' },
  taint: { ...text, description: 'node/ only, instead of status: a taint the Node carries, "key", "key:Effect" or "key=value:Effect".' },
  absent: { type: 'boolean', description: 'With taint: expect the Node NOT to carry it.' },
} as const;

/** The schema of a scenario file, as a plain JSON object. */
export const scenarioSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://failsim.dev/schemas/scenario.schema.json',
  title: 'failsim scenario',
  description: 'One failure scenario: a cluster, the workloads on it, timed steps and the expected outcome.',
  type: 'object',
  additionalProperties: false,
  required: ['metadata', 'profile', 'storage', 'cluster', 'steps'],
  properties: {
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'title'],
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$', description: 'Lowercase DNS label.' },
        title: text,
        description: { type: 'string' },
      },
    },
    profile: { type: 'string', pattern: '^v?1\\.[0-9]+$', description: 'Kubernetes minor version of the version profile ("1.12" … "1.32").' },
    overrides: {
      type: 'object',
      additionalProperties: false,
      description: 'Per-run changes to the profile, by upstream flag name (camelCase or --kebab-case).',
      properties: {
        options: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
        features: { type: 'object', additionalProperties: { type: 'boolean' } },
        behaviours: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'array'] } },
      },
    },
    storage: { enum: ['vcp', 'csi'], description: 'In-tree vSphere Cloud Provider or the vSphere CSI driver.' },
    cluster: {
      type: 'object',
      additionalProperties: false,
      required: ['nodes'],
      properties: {
        nodes: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'role'],
            properties: {
              name: { $ref: '#/$defs/name' },
              role: { enum: ['control-plane', 'worker'] },
              zone: text,
              host: { ...text, description: 'ESXi host the node\'s VM runs on.' },
              vm: { ...text, description: 'VM name; defaults to the node name.' },
            },
          },
        },
        vsphere: {
          type: 'object',
          additionalProperties: false,
          required: ['hosts', 'datastores'],
          properties: {
            hosts: { type: 'array', minItems: 1, items: text },
            datastores: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['name'],
                properties: { name: text, policies: { type: 'array', items: text } },
              },
            },
          },
        },
        bosh: {
          type: 'object',
          additionalProperties: false,
          required: ['deployment'],
          properties: { deployment: text, director: text },
        },
      },
    },
    resources: {
      type: 'array',
      description: 'Inline Kubernetes manifests, or { file: relative/path.yaml } (multi-document YAML).',
      items: {
        type: 'object',
        if: { properties: { file: {} }, required: ['file'] },
        then: { additionalProperties: false, properties: { file: text } },
        else: {
          required: ['apiVersion', 'kind', 'metadata'],
          properties: {
            apiVersion: text,
            kind: text,
            metadata: { type: 'object', required: ['name'], properties: { name: text, namespace: text } },
          },
        },
      },
    },
    steps: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['run'],
        properties: {
          id: { $ref: '#/$defs/name' },
          title: text,
          at: duration,
          after: duration,
          when: { ...text, description: '"<object> is <status>", e.g. "pod/cassandra/cassandra-0 is Running".' },
          timeout: duration,
          run: { ...text, description: 'kubectl, govc or bosh command line, or "partition node X" / "heal node X".' },
        },
      },
    },
    expectations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        maxProperties: 1,
        properties: {
          state: {
            type: 'object',
            additionalProperties: false,
            required: ['object', 'within'],
            properties: { object: text, ...stateCondition, within: { $ref: '#/$defs/window' }, after: { $ref: '#/$defs/name' } },
          },
          held: {
            type: 'object',
            additionalProperties: false,
            required: ['object', 'for'],
            properties: { object: text, ...stateCondition, for: duration, after: { $ref: '#/$defs/name' } },
          },
          event: {
            type: 'object',
            additionalProperties: false,
            required: ['reason'],
            properties: {
              reason: text,
              message: { type: 'string', description: 'Substring, or /regex/ with optional flags.' },
              object: text,
              after: { $ref: '#/$defs/name' },
              within: { $ref: '#/$defs/window' },
            },
          },
          data: {
            type: 'object',
            additionalProperties: false,
            required: ['pod', 'query', 'contains'],
            properties: {
              pod: text,
              query: text,
              contains: { type: 'string' },
              absent: { type: 'boolean', description: 'Expect the text NOT to be there.' },
              after: { $ref: '#/$defs/name' },
              within: { $ref: '#/$defs/window' },
            },
          },
        },
      },
    },
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
    until: duration,
  },
  $defs: {
    name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' },
    duration: { type: 'string', pattern: '^([0-9]+(ms|h|m|s))+$', description: 'Go-style duration: 30s, 5m, 1h30m, 500ms.' },
    window: { type: 'string', pattern: '^([0-9]+(ms|h|m|s))+(\\.\\.([0-9]+(ms|h|m|s))+)?$', description: '"30s..50s" or "50s" (= 0s..50s).' },
  },
} as const;
