// Every command id of the extension in one place (package.json contributes the public ones; a
// unit test checks the two agree). The hover's command links are built by the pure explain layer,
// which cannot import this module: the `typeof` annotations make the compiler check its ids
// against these, without loading the explain layer (type-only imports are erased).
import type { EXPLAIN_COMMAND, SIMULATE_COMMAND } from '../explain/markdown';

const simulatePath: typeof SIMULATE_COMMAND = 'kvmPatchReview.simulatePath';
const explain: typeof EXPLAIN_COMMAND = 'kvmPatchReview.explain';

/** Commands a user can run (package.json `contributes.commands`). */
export const COMMANDS = {
  reviewAsPatch: 'kvmPatchReview.reviewAsPatch',
  simulatePath,
  explain,
} as const;

/** Commands for tests and scripts only (not in the command palette). */
export const INTERNAL_COMMANDS = {
  diverge: 'kvmPatchReview.internal.diverge',
  simulationView: 'kvmPatchReview.internal.simulationView',
  decorationCounts: 'kvmPatchReview.internal.decorationCounts',
} as const;

/** The commands the hover's trusted command links may run. */
export const LINK_COMMANDS: readonly string[] = [COMMANDS.simulatePath, COMMANDS.explain];

/** Arguments of kvmPatchReview.simulatePath (code lens, hover link, tests). */
export interface SimulateArgs { pathId?: string; function?: string; uri?: string; hunk?: number; scenario?: string }
