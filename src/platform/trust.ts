// Restricted Mode (an untrusted workspace): settings that name a file or change what is read are
// not taken from the workspace. VS Code already drops the workspace values of the settings listed
// in package.json's `restrictedConfigurations`; this is the extension's own rule on top, for any
// value that names a file however it was set. Pure (no vscode import): unit-tested.

/** Settings that name a file or change what is read (package.json restrictedConfigurations).
 *  A future `kvmPatchReview.kernelTree` (a kernel source tree to read) belongs here too. */
export const RESTRICTED_SETTINGS = ['kvmPatchReview.defaultScenario', 'kvmPatchReview.kernelTree', 'kvmPatchReview.maxFileSizeMB'] as const;

/** Whether a scenario setting names a JSON file (not a preset name). */
export function namesFile(scenario: string): boolean {
  return /\.json$/i.test(scenario) || /[/\\]/.test(scenario) || scenario.startsWith('~');
}

/** The scenario to use for a `defaultScenario` value: in Restricted Mode a file is ignored for
 *  the "default" preset, with a one-line notice saying so. */
export function scenarioSetting(value: string, trusted: boolean): { scenario: string; notice?: string } {
  if (trusted || !namesFile(value)) return { scenario: value };
  return { scenario: 'default', notice: 'Restricted Mode: kvmPatchReview.defaultScenario names a file, which is not read in an untrusted workspace; the "default" preset is used' };
}

/** The size limit to use: in Restricted Mode at most the default (a workspace cannot make the
 *  extension read and analyse more). */
export function maxFileSizeSetting(valueMB: number, trusted: boolean, defaultMB = 64): { maxFileSizeMB: number; notice?: string } {
  const v = Number.isFinite(valueMB) && valueMB >= 1 ? valueMB : defaultMB;
  if (trusted || v <= defaultMB) return { maxFileSizeMB: v };
  return { maxFileSizeMB: defaultMB, notice: `Restricted Mode: kvmPatchReview.maxFileSizeMB above ${defaultMB} is not used in an untrusted workspace` };
}
