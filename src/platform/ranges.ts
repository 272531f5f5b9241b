// Conversion from the core's 0-based (line, column) positions to vscode ranges: in one place.
import * as vscode from 'vscode';

/** The whole of line `line` (0-based) as a zero-width range at its start. */
export function lineStart(line: number): vscode.Range { return new vscode.Range(line, 0, line, 0); }

/** A range on one line. */
export function span(line: number, start: number, end: number): vscode.Range { return new vscode.Range(line, start, line, end); }
