/** Exit codes, sysexits-style where one fits (see README "Exit codes"). */
export const EXIT = {
  ok: 0,
  error: 1,
  changes: 2,
  usage: 64,
  /** sysexits EX_TEMPFAIL: try again later (the monitor could not deliver its report; it keeps the findings). */
  tempfail: 75,
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

/** Ends the process with a code, after output was already printed. */
export class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ExitError';
  }
}
