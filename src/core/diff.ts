import { createTwoFilesPatch } from 'diff';

const SECRET_LINE = /(\$DB_PASS\s*=|password|secret)/i;

/** Unified diff of a file change, with lines that look like secrets redacted. */
export function fileDiff(path: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(`before: ${path}`, `after: ${path}`, redact(before), redact(after), undefined, undefined, { context: 3 });
  return patch.replace(/^=+\n/m, '').replace(/^Index:.*\n/m, '');
}

function redact(text: string): string {
  return text
    .split('\n')
    .map((line) => (SECRET_LINE.test(line) && /=\s*["']?[^"';\s]+/.test(line) ? line.replace(/=.*$/, '= (redacted)') : line))
    .join('\n');
}
