// The modeled check paths, one file each (cli-contract.md `paths`, in its order). A new path is a
// new file here: its definition, its checks in KVM's order, its runner; then one line below.
import type { CheckPath } from '../run';
import { nestedVmentry } from './nested-vmentry';
import { nestedVmexit } from './nested-vmexit';
import { setNestedState } from './set-nested-state';
import { moduleLoad } from './module-load';
import { cr0Write } from './cr0-write';
import { cr3Write } from './cr3-write';

export const CHECK_PATHS: readonly CheckPath[] = [nestedVmentry, nestedVmexit, setNestedState, moduleLoad, cr0Write, cr3Write];
