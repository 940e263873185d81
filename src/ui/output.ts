import chalk from 'chalk';
import { wrapHanging } from './wrap.js';

/**
 * JSON-lines schema version (docs/json.md): a new field or line type is a minor version; a removed
 * or renamed one, a major. Every line is described by docs/json-schema.json.
 */
export const JSON_SCHEMA_VERSION = '2.1';

/** Strips terminal control sequences and other control characters from text that came from outside. */
export function sanitize(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g, '').replace(/[\x00-\x08\x0b-\x1f\x7f\x9b]/g, '');
}

export interface OutputOptions {
  json?: boolean;
  /** -q: human text only for problems (`problem`), never for `line`. */
  quiet?: boolean;
  /** Columns to wrap human text to; undefined (not a terminal) leaves lines whole. */
  width?: number;
}

export interface Output {
  readonly json: boolean;
  readonly quiet: boolean;
  /** Terminal width for wrapping, undefined when stdout is not a terminal. */
  readonly width: number | undefined;
  /** Human text (suppressed in JSON mode and with -q). */
  line(text?: string): void;
  /** Human text that -q still prints: a problem the admin must see (suppressed in JSON mode). */
  problem(text?: string): void;
  /** Human text wrapped to the terminal at word boundaries, continuation lines indented by `hanging`; `first` prefixes the first line. */
  wrapped(first: string, text: string, hanging: string, important?: boolean): void;
  /** One JSON line (suppressed in human mode). */
  event(type: string, fields: Record<string, unknown>): void;
  /** A warning or error: text on stderr, and in JSON mode an `error` line too. */
  error(text: string): void;
  /** The same output without -q: for a report that is all problems once there is one. */
  unquiet(): Output;
}

export function createOutput(
  options: OutputOptions | boolean = {},
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): Output {
  const opts: OutputOptions = typeof options === 'boolean' ? { json: options } : options;
  const { json = false, quiet = false, width } = opts;
  let versionSent = false;
  const write = (text: string) => {
    if (!json) stdout.write(`${text}\n`);
  };
  return {
    json,
    quiet,
    width: json ? undefined : width,
    line(text = '') {
      if (!quiet) write(text);
    },
    problem(text = '') {
      write(text);
    },
    wrapped(first, text, hanging, important = false) {
      if (quiet && !important) return;
      write(wrapHanging(first, text, hanging, json ? undefined : width));
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
      this.event('error', { message: text });
      stderr.write(json ? `zimbra-harden: ${text}\n` : `${chalk.red('error:')} ${text}\n`);
    },
    unquiet() {
      return quiet && !json ? createOutput({ ...opts, quiet: false }, stdout, stderr) : this;
    },
  };
}
