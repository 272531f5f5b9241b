// The five real seed mails live beside the repo in ../shared/seeds (third-party text, never copied
// here). Tests that need them call `seedOrSkip` and are skipped, saying so, when the folder is absent.
import fs from 'node:fs';
import path from 'node:path';

export const SEEDS_DIR = process.env.KVM_REVIEW_SEEDS ?? path.resolve(__dirname, '../../../shared/seeds');
export const SEED_IDS = ['000', '001', '002', '003', '004'] as const;
export type SeedId = (typeof SEED_IDS)[number];

/** The seed file name for an id such as '002', or undefined when the seeds folder is absent. */
export function seedPath(id: SeedId): string | undefined {
  if (!fs.existsSync(SEEDS_DIR)) return undefined;
  const name = fs.readdirSync(SEEDS_DIR).find(f => f.startsWith(`${id}_`));
  return name ? path.join(SEEDS_DIR, name) : undefined;
}

/** Seed text, or undefined plus a skip note on the test context when the seeds are absent. */
export function seedText(id: SeedId, t?: { skip(msg?: string): void }): string | undefined {
  const p = seedPath(id);
  if (!p) { t?.skip(`seed ${id} not found: ${SEEDS_DIR} is absent`); return undefined; }
  return fs.readFileSync(p, 'utf8');
}
