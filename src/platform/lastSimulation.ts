// The engine and tree of the last simulation the user ran, for the status bar. The simulation
// feature reports it with `noteSimulation` (a hook: call it where a simulation result arrives).
import * as vscode from 'vscode';

export interface SimulationNote { engine: string; tree?: string }

let last: SimulationNote | undefined;
const emitter = new vscode.EventEmitter<SimulationNote>();
/** Fires after each noted simulation. */
export const onDidSimulate = emitter.event;

/** Records the engine (`kernel` / `model`) and tree version of a simulation just run. */
export function noteSimulation(note: SimulationNote): void { last = note; emitter.fire(note); }

/** The last simulation, if any this session. */
export function lastSimulation(): SimulationNote | undefined { return last; }
