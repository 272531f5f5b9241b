// The series review features: the Series view with per-patch state, walking hunks and patches
// with the status bar item, comments and Draft Reply, the maintainers' rules, Open Series and
// Compare Revisions. One `register` for the FEATURES table.
import * as vscode from 'vscode';
import { initPatchStates } from './model';
import { registerSeriesView } from './seriesView';
import { registerNavigation } from './navigation';
import { registerComments } from './comments';
import { registerRules } from './rules';
import { registerOpenSeries } from './openSeries';

/** Registers every series feature. */
export function register(ctx: vscode.ExtensionContext): vscode.Disposable {
  return vscode.Disposable.from(initPatchStates(ctx), registerSeriesView(), registerNavigation(), registerComments(ctx), registerRules(), registerOpenSeries(ctx));
}
