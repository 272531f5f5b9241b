// Markdown for explanations (pure): a compact hover whose first two lines say what the thing is,
// and a full page for the Explain view. Command links use the `command:` URI form that a trusted
// vscode.MarkdownString renders as links.
import type { Explanation } from '../knowledge/types';
import { suggest } from './lookup';

export const SIMULATE_COMMAND = 'kvmPatchReview.simulatePath';
export const EXPLAIN_COMMAND = 'kvmPatchReview.explain';

/** Escapes text so markdown shows it literally. */
export function esc(s: string): string { return s.replace(/[\\`*_{}[\]<>#|~]/g, c => '\\' + c); }

function code(s: string): string { return '`' + s.replace(/`/g, "'") + '`'; }

/** `command:` link that runs "Simulate this path" for a path and function. */
export function simulateLink(pathId: string, fn: string): string {
  return `command:${SIMULATE_COMMAND}?${encodeURIComponent(JSON.stringify([{ pathId, function: fn }]))}`;
}

/** `command:` link that opens the Explain view on a name. */
export function explainLink(name: string): string {
  return `command:${EXPLAIN_COMMAND}?${encodeURIComponent(JSON.stringify([name]))}`;
}

function headline(r: Explanation): string {
  const kind = r.kind.replace(/_/g, ' ');
  const value = r.value !== undefined ? ` ${code(r.value)}${/^0x/i.test(r.value) && BigInt(r.value) < 1n << 53n && BigInt(r.value) > 9n ? ` (${BigInt(r.value).toString(10)})` : ''}` : '';
  const where = r.kernelFiles[0] ? ` · ${code(r.kernelFiles[0])}` : '';
  return `**${esc(r.name)}** · *${kind}*${value}${where}`;
}

/** Extra hover content for one reading: the hunk summary and the checks the simulator knows. */
export interface HoverExtras {
  /** One line: what the hunk under the cursor changes in this function. */
  hunkChange?: string;
}

function decodedLine(r: Explanation): string | undefined {
  if (!r.decoded) return undefined;
  const parts = Object.entries(r.decoded).filter(([k]) => k !== 'encoding' || r.kind !== 'vmcs_field' || !r.value);
  if (!parts.length) return undefined;
  return `${r.reading ? `*${esc(r.reading)}:* ` : ''}${parts.map(([k, v]) => `${esc(k)} ${code(v)}`).join(', ')}`;
}

function linkLine(r: Explanation): string {
  const paths = r.paths ?? [];
  const sim = paths.length
    ? `${r.kind === 'function' ? 'Simulate a path through this function' : 'Simulate'}: ${paths.map(p => `[${p}](${simulateLink(p, r.name)})`).join(' · ')}`
    : '';
  return [sim, `[Show in model](${explainLink(r.name)})`].filter(Boolean).join(' — ');
}

function clip(s: string, n: number): string { return s.length > n ? s.slice(0, n - 1).trimEnd() + '…' : s; }

/** Checks in one hover line: ids and results, grouped by result; the full text is in the Explain view. */
function checksLine(r: Explanation): string | undefined {
  if (!r.checks?.length) return undefined;
  const byResult = new Map<string, string[]>();
  for (const c of r.checks) byResult.set(c.result, [...(byResult.get(c.result) ?? []), c.id]);
  const groups = [...byResult].map(([result, ids]) => `${ids.slice(0, 6).map(code).join(', ')}${ids.length > 6 ? ` +${ids.length - 6}` : ''} → ${esc(result || 'fails')}`);
  return `*Checks (${r.checks.length}):* ${groups.slice(0, 3).join('; ')}${groups.length > 3 ? '; …' : ''}`;
}

/** Compact markdown for a hover: per reading, two "what is this" lines, then details and links. */
export function hoverMarkdown(readings: readonly Explanation[], extras: HoverExtras = {}): string {
  const blocks = readings.slice(0, 6).map((r, i) => {
    const lines = [headline(r), esc(r.summary)];
    if (i === 0 && extras.hunkChange) lines.push(`**This hunk:** ${esc(extras.hunkChange)}`);
    const dec = decodedLine(r);
    if (dec) lines.push(dec);
    if (r.details) lines.push(esc(clip(r.details, 320)));
    const checks = checksLine(r);
    if (checks) lines.push(checks);
    if (r.history?.length) { const h = r.history[r.history.length - 1]; lines.push(`*Since ${esc(h.era)}:* ${esc(clip(h.change, 180))}`); }
    if (r.sdm) lines.push(`*${esc(r.sdm)}*`);
    if (r.related.length) lines.push(`*Related:* ${r.related.slice(0, 6).map(code).join(', ')}`);
    lines.push(linkLine(r));
    return lines.join('\n\n');
  });
  if (readings.length > 6) blocks.push(`*${readings.length - 6} more readings: run "KVM: Explain…".*`);
  return blocks.join('\n\n---\n\n');
}

/** Full markdown page for the Explain view (virtual document). */
export function documentMarkdown(query: string, readings: readonly Explanation[]): string {
  const out: string[] = [`# ${esc(query)}`, ''];
  if (!readings.length) {
    const close = suggest(query, 8);
    return out.concat(['The model does not know this name or number.', '', ...(close.length ? [`Close names: ${close.map(code).join(', ')}`] : [])]).join('\n');
  }
  if (readings.length > 1) out.push(`${readings.length} readings.`, '');
  for (const r of readings) {
    out.push(`## ${esc(r.name)}`, '', `*${r.kind.replace(/_/g, ' ')}*${r.value !== undefined ? ` · value ${code(r.value)}` : ''}${r.reading ? ` · read as ${esc(r.reading)}` : ''}`, '', esc(r.summary), '');
    if (r.details) out.push(esc(r.details), '');
    const dec = decodedLine(r);
    if (dec) out.push(dec, '');
    if (r.callers?.length) out.push(`**Callers:** ${r.callers.map(code).join(', ')}`, '');
    if (r.callees?.length) out.push(`**Callees:** ${r.callees.map(code).join(', ')}`, '');
    if (r.paths?.length) out.push(`**Paths through it:** ${r.paths.map(code).join(', ')}`, '');
    if (r.checks?.length) {
      out.push('**Checks:**', '', '| id | check | result |', '|---|---|---|');
      for (const c of r.checks) out.push(`| ${esc(c.id)} | ${esc(c.fails)} | ${esc(c.result)}${c.sdm ? ` (${esc(c.sdm)})` : ''} |`);
      out.push('');
    }
    if (r.history?.length) {
      out.push('**History:**', '');
      for (const h of r.history) out.push(`- ${esc(h.era)}: ${esc(h.change)}`);
      out.push('');
    }
    if (r.sdm) out.push(`**SDM:** ${esc(r.sdm)}`, '');
    if (r.kernelFiles.length) out.push(`**Kernel:** ${r.kernelFiles.map(code).join(', ')}`, '');
    if (r.related.length) out.push(`**Related:** ${r.related.map(code).join(', ')}`, '');
    if (r.aliases?.length) out.push(`**Also written:** ${r.aliases.map(code).join(', ')}`, '');
    if (r.source) out.push(`*Source: ${esc(r.source)}*`, '');
  }
  return out.join('\n');
}
