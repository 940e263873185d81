import { EXIT, ExitError, UserError } from '../errors.js';
import { operationalError } from '../operational-error.js';
import { mappedStack } from '../ui/mapped-stack.js';
import type { Output } from '../ui/output.js';

/**
 * Turns an error a command threw into text on stderr (and, with --json, an `error` line) and an
 * exit code: the full CLI (cli.ts, which handles commander's own errors first) and the plain cron
 * invocation (plain-monitor.ts) answer alike.
 */
export function exitCodeOf(error: unknown, out: Output): number {
  if (error instanceof ExitError) return error.exitCode;
  if (error instanceof UserError) {
    out.event('error', { message: error.message, exitCode: error.exitCode });
    process.stderr.write(`zimbra-harden: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) {
    out.event('error', { message: 'interrupted: nothing was changed', exitCode: EXIT.interrupted });
    process.stderr.write('\nInterrupted: nothing was changed.\n');
    return EXIT.interrupted;
  }
  const operational = operationalError(error);
  if (operational) {
    out.event('error', { message: operational.message, exitCode: operational.exitCode });
    process.stderr.write(`zimbra-harden: ${operational.message}\n`);
    return operational.exitCode;
  }
  out.event('error', { message: `internal error: ${error instanceof Error ? error.message : String(error)}`, exitCode: EXIT.error });
  process.stderr.write(`zimbra-harden: internal error: ${error instanceof Error ? (error.stack ? mappedStack(error.stack) : error.message) : String(error)}\n`);
  process.stderr.write('This is a bug; please report it with the command you ran.\n');
  return EXIT.error;
}
