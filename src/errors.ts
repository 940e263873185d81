/** Exit codes, sysexits-style where one fits (see README "Exit codes"). */
export const EXIT = {
  ok: 0,
  error: 1,
  changes: 2,
  usage: 64,
  /** A service the tool needs does not answer (e.g. the SMTP server refuses a command's mail). */
  unavailable: 69,
  /** A file or folder the tool must write cannot be written. */
  cantCreate: 73,
  /** sysexits EX_TEMPFAIL, trying again later may work: a command did not finish within its time limit, or the monitor could not deliver its report (it keeps the findings for the next run). */
  tempFail: 75,
  config: 78,
  interrupted: 130,
} as const;

/** A problem the user can fix: printed as one line, never with a stack. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** Bad flags or arguments (exit 64). */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}

/** Bad or incomplete configuration file or settings (exit 78). */
export class ConfigError extends UserError {
  constructor(message: string) {
    super(message, EXIT.config);
    this.name = 'ConfigError';
  }
}

/** A command ran past its time limit and was stopped. */
export class CommandTimeoutError extends UserError {
  constructor(label: string, timeoutMs: number) {
    super(`${label} did not finish within ${formatSeconds(timeoutMs)} and was stopped`, EXIT.tempFail);
    this.name = 'CommandTimeoutError';
  }
}

/** Ctrl-C or SIGTERM: the run stopped between two steps (exit 130). */
export class InterruptedError extends UserError {
  constructor(message = 'interrupted: stopped before the next step; run it again to finish (it picks up where it stopped)') {
    super(message, EXIT.interrupted);
    this.name = 'InterruptedError';
  }
}

/** A file or folder that must be written cannot be (permissions, full disk, read-only). */
export class CannotWriteError extends UserError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.cantCreate, options);
    this.name = 'CannotWriteError';
  }
}

/** A service the tool talks to refused or did not answer. */
export class UnavailableError extends UserError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.unavailable, options);
    this.name = 'UnavailableError';
  }
}

function formatSeconds(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${+(ms / 1000).toFixed(1)} s`;
}

/** Ends the process with a code, after output was already printed. */
export class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ExitError';
  }
}
