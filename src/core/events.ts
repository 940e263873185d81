import type { Item } from './types.js';

/** What apply reports while it works; the human renderer and `--json` both consume these. */
export type ApplyEvent =
  | { type: 'apply_start'; item: Item }
  | { type: 'apply_complete'; item: Item; notes: string[] }
  | { type: 'apply_errored'; item: Item; error: string }
  | { type: 'verify'; ok: boolean; message: string; evidence: string[] };

export type Reporter = (event: ApplyEvent) => void;
