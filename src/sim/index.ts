// Facade of the simulator (pure). Thin first version: the six path ids and a trace of the
// nested-vmentry host-CR3 check; the simulator issue replaces the inside behind these functions.
import { FUNCTIONS } from '../model/data/functions';

export interface PathInfo { id: string; title: string; entry: string; steps: string[] }
export interface TraceStep { function: string; check: string; result: 'pass' | 'fail' | 'skip'; values: Record<string, string> }
export interface Outcome { kind: string; [field: string]: unknown }
export interface SimulationResult {
  path: string;
  outcome: Outcome;
  warnings: string[];
  failedCheck: { id: string; function: string; condition: string; sdm: string } | null;
  trace: TraceStep[];
}

/** A scenario that cannot be used: the CLI turns it into exit 2 with this one-line message. */
export class ScenarioError extends Error {}

const PATHS: PathInfo[] = [
  { id: 'nested-vmentry', title: 'VMLAUNCH/VMRESUME from L1', entry: 'handle_vmlaunch',
    steps: ['nested_vmx_run', 'nested_vmx_check_controls', 'nested_vmx_check_address_space_size', 'nested_vmx_check_host_state',
      'nested_vmx_enter_non_root_mode', 'prepare_vmcs02_early', 'nested_vmx_check_guest_state', 'prepare_vmcs02', 'nested_vmx_load_cr3', 'nested_vmx_load_msr'] },
  { id: 'nested-vmexit', title: 'Emulated VM-exit from L2 to L1', entry: 'nested_vmx_vmexit',
    steps: ['nested_vmx_vmexit', 'prepare_vmcs12', 'load_vmcs12_host_state', 'nested_vmx_load_cr3', 'nested_vmx_load_msr'] },
  { id: 'set-nested-state', title: 'KVM_SET_NESTED_STATE', entry: 'vmx_set_nested_state',
    steps: ['vmx_set_nested_state', 'nested_vmx_check_controls', 'nested_vmx_check_host_state', 'nested_vmx_check_guest_state', 'nested_vmx_enter_non_root_mode'] },
  { id: 'module-load', title: 'kvm_intel load: setup_vmcs_config', entry: 'vmx_init', steps: ['vmx_hardware_setup', 'setup_vmcs_config', 'adjust_vmx_controls'] },
  { id: 'cr0-write', title: 'Guest CR0 write and CR0 bit ownership', entry: 'handle_cr', steps: ['handle_set_cr0', 'kvm_set_cr0', 'vmx_set_cr0', 'kvm_post_set_cr0'] },
  { id: 'cr3-write', title: 'Guest or userspace CR3 load', entry: 'kvm_set_cr3', steps: ['kvm_set_cr3', 'kvm_vcpu_is_legal_cr3'] },
];

/** The modeled check paths (`kvm-review paths`). */
export function listPaths(): PathInfo[] { return PATHS; }

/** Paths whose steps include `fn`. */
export function pathsThrough(fn: string): PathInfo[] {
  const listed = FUNCTIONS.find(f => f.name === fn)?.paths ?? [];
  return PATHS.filter(p => p.steps.includes(fn) || listed.includes(p.id));
}

/** Simulates one path for a scenario given as parsed JSON (`{ base: "default", ... }`). */
export function simulate(pathId: string, scenario: unknown = { base: 'default' }): SimulationResult {
  const path = PATHS.find(p => p.id === pathId);
  if (!path) throw new ScenarioError(`unknown path "${pathId}"; known: ${PATHS.map(p => p.id).join(', ')}`);
  const s = (scenario ?? {}) as { base?: string; vmcs12?: Record<string, string>; cpuid?: { maxphyaddr?: number; features?: Record<string, boolean> } };
  if (s.base !== undefined && s.base !== 'default') throw new ScenarioError(`unknown base "${s.base}"; known: default`);
  const maxphy = BigInt(s.cpuid?.maxphyaddr ?? 46);
  const lam = s.cpuid?.features?.LAM ?? true;
  const hostCr3 = BigInt(s.vmcs12?.HOST_CR3 ?? '0x1000');
  const mask = lam ? ~((1n << 61n) | (1n << 62n)) & ((1n << 64n) - 1n) : (1n << 64n) - 1n;
  const illegal = ((hostCr3 & mask) >> maxphy) !== 0n;
  const trace: TraceStep[] = path.steps.map(fn => ({ function: fn, check: 'step', result: 'pass', values: {} }));
  if (pathId !== 'nested-vmentry') return { path: pathId, outcome: { kind: pathId === 'module-load' ? 'loaded' : 'ok' }, warnings: [], failedCheck: null, trace };
  const i = trace.findIndex(t => t.function === 'nested_vmx_check_host_state');
  trace[i] = { function: 'nested_vmx_check_host_state', check: 'host-cr3-legal', result: illegal ? 'fail' : 'pass', values: { HOST_CR3: '0x' + hostCr3.toString(16) } };
  if (!illegal) return { path: pathId, outcome: { kind: 'entered' }, warnings: [], failedCheck: null, trace };
  return { path: pathId, outcome: { kind: 'vmfail-valid', vmInstructionError: 8 }, warnings: [],
    failedCheck: { id: 'host-cr3-legal', function: 'nested_vmx_check_host_state', condition: '!kvm_vcpu_is_legal_cr3(vcpu, vmcs12->host_cr3)', sdm: 'SDM Vol. 3C 27.2.2' },
    trace: trace.slice(0, i + 1) };
}
