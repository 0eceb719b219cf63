// Errors of scenario files: each names the file, line, column and field path.

/** One problem in a scenario file. */
export interface ScenarioError {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** Field path such as `steps[2].at`; '' for the document itself (YAML syntax, limits). */
  readonly path: string;
  readonly message: string;
}

/** `scenarios/x.yaml:12:7: steps[2].at: invalid duration "5 minutes" (use 30s, 5m, 1h)`. */
export const formatScenarioError = (error: ScenarioError): string =>
  `${error.file}:${error.line}:${error.column}: ${error.path === '' ? '' : `${error.path}: `}${error.message}`;

/** `steps[2].at` from ['steps', 2, 'at']. */
export const formatPath = (path: readonly (string | number)[]): string =>
  path.reduce<string>((text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text === '' ? segment : `${text}.${segment}`), '');
