import chalk from 'chalk';

/** JSON-lines schema version; bump the major on incompatible changes (README "JSON output"). */
export const JSON_SCHEMA_VERSION = '1.0';

/** Strips terminal control sequences and other control characters from text that came from outside. */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g, '').replace(/[\x00-\x08\x0b-\x1f\x7f\x9b]/g, '');
}

export interface Output {
  readonly json: boolean;
  /** Human text (suppressed in JSON mode). */
  line(text?: string): void;
  /** One JSON line (suppressed in human mode). */
  event(type: string, fields: Record<string, unknown>): void;
  /** Human warnings and errors go to stderr. */
  error(text: string): void;
}

export function createOutput(json: boolean, stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Output {
  let versionSent = false;
  return {
    json,
    line(text = '') {
      if (!json) stdout.write(`${text}\n`);
    },
    event(type, fields) {
      if (!json) return;
      if (!versionSent) {
        versionSent = true;
        stdout.write(`${JSON.stringify({ type: 'version', schema: JSON_SCHEMA_VERSION, tool: 'zimbra-harden' })}\n`);
      }
      stdout.write(`${JSON.stringify({ type, ...fields })}\n`);
    },
    error(text) {
      if (json) {
        this.event('error', { message: text });
        return;
      }
      stderr.write(`${chalk.red('error:')} ${text}\n`);
    },
  };
}
