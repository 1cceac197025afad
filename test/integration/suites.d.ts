/**
 * The suite list generated at build time by scripts/vscode-host/buildTests.mjs from
 * test/integration/suite/*.test.ts, sorted by file name. `load` requires the suite lazily.
 */
declare module 'integration-suites' {
  /** One suite file: its repo-relative path and a loader that runs its top level once. */
  export const suites: ReadonlyArray<{ file: string; load: () => unknown }>;
}
