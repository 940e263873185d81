type WrapAnsi = typeof import('wrap-ansi').default;

/** wrap-ansi (string-width builds Unicode tables as it loads: ~100 ms), loaded only for a terminal. */
let wrapAnsi: WrapAnsi | undefined;

/** Loads the wrapper; until then (cron, pipes, logs) text is never wrapped. */
export async function loadWrapping(): Promise<void> {
  wrapAnsi ??= (await import('wrap-ansi')).default;
}

/** Below this many columns of text, a hanging indent gives way to a short one (see `hangingIndent`). */
const MIN_TEXT_COLUMNS = 40;

/**
 * `first` followed by `text`, wrapped at word boundaries to `width` columns with every further line
 * indented by `hanging` (whose length should match what `first` takes on screen). A word longer than
 * a line is cut. Without a width (not a terminal) the text stays on one line, for grep and logs.
 */
export function wrapHanging(first: string, text: string, hanging: string, width: number | undefined): string {
  if (!width || !wrapAnsi) return first + text;
  const room = Math.max(width - hanging.length, 10);
  const [head = '', ...rest] = wrapAnsi(text, room, { hard: true }).split('\n');
  return [first + head, ...rest.map((line) => hanging + line)].join('\n');
}

/** The indent of detail lines: `wanted` columns, or 4 when that would leave too little room on a narrow terminal. */
export function hangingIndent(wanted: number, width: number | undefined): number {
  return width !== undefined && width - wanted < MIN_TEXT_COLUMNS ? 4 : wanted;
}
