/** Reading and editing Postfix main.cf the way `postconf` and `postconf -e` do. */

interface Logical {
  name: string;
  value: string;
  /** Physical line range [start, end) in the file. */
  start: number;
  end: number;
}

function logicalLines(lines: string[]): Logical[] {
  const result: Logical[] = [];
  let current: Logical | undefined;
  lines.forEach((line, i) => {
    if (/^\s*(#|$)/.test(line)) {
      current = undefined;
      return;
    }
    if (/^\s/.test(line) && current) {
      current.value = `${current.value} ${line.trim()}`.trim();
      current.end = i + 1;
      return;
    }
    const m = /^([A-Za-z0-9_.-]+)\s*=\s*(.*)$/.exec(line);
    if (!m) {
      current = undefined;
      return;
    }
    current = { name: m[1] as string, value: (m[2] as string).trim(), start: i, end: i + 1 };
    result.push(current);
  });
  return result;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Parameter name → raw value (the last definition wins, as in Postfix). */
export function parseMainCf(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const l of logicalLines(splitLines(text))) params.set(l.name, l.value);
  return params;
}

/** `postconf -e`: replaces each parameter's definition in place, appends new ones. */
export function editMainCf(text: string, updates: ReadonlyMap<string, string>): string {
  const lines = splitLines(text);
  const logical = logicalLines(lines);
  const replacement = new Map<number, string | null>();
  const pending = new Map(updates);
  for (const l of logical) {
    if (!updates.has(l.name)) continue;
    const value = updates.get(l.name) as string;
    replacement.set(l.start, pending.has(l.name) ? `${l.name} = ${value}` : null);
    pending.delete(l.name);
    for (let i = l.start + 1; i < l.end; i++) replacement.set(i, null);
  }
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (!replacement.has(i)) out.push(line);
    else if (replacement.get(i) !== null) out.push(replacement.get(i) as string);
  });
  for (const [name, value] of pending) out.push(`${name} = ${value}`);
  return `${out.join('\n')}\n`;
}

/** Zimbra renders a restriction list one entry per template line, joined with ", ". */
export function joinList(items: readonly string[]): string {
  return items.join(', ');
}
