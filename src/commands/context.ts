import { resolve } from 'node:path';
import { DEFAULT_CONFIG_PATH } from '../core/config-path.js';
import type { Host } from '../host/host.js';
import { RealHost } from '../host/real-host.js';
import { createOutput, type Output } from '../ui/output.js';
import { loadWrapping } from '../ui/wrap.js';
import { inquirerConfirm, type Confirm } from './consent.js';

/** Options every command takes (declared on the program). */
export interface GlobalOptions {
  root?: string;
  config?: string;
  json?: boolean;
  yes?: boolean;
  nonInteractive?: boolean;
  quiet?: boolean;
  detailedExitcode?: boolean;
  /** --color / --no-color (chalk's level is set from them, NO_COLOR and FORCE_COLOR at start: see ui/color.ts). */
  color?: boolean;
}

export interface Context {
  host: Host;
  out: Output;
  /** Local path of the config file (the default one resolves under --root). */
  configPath: string;
  /** May we ask questions? Not with -n, -q, --json, CI, or without a terminal. */
  interactive: boolean;
  options: GlobalOptions;
  /** Asks a yes/no question on the terminal (consent.ts decides whether one may be asked). */
  confirm: Confirm;
}

export function createContext(options: GlobalOptions): Context {
  const host = new RealHost(options.root ?? '/');
  const json = options.json ?? false;
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  return {
    host,
    out: createOutput({ json, quiet: options.quiet ?? false, width: process.stdout.isTTY ? process.stdout.columns : undefined }),
    configPath: options.config ? resolve(options.config) : host.resolve(DEFAULT_CONFIG_PATH),
    interactive: tty && !json && !options.nonInteractive && !options.quiet && !process.env.CI,
    options,
    confirm: inquirerConfirm,
  };
}

/** The context a command runs in, with text wrapping loaded for a terminal (never for cron or a pipe). */
export async function openContext(options: GlobalOptions): Promise<Context> {
  if (process.stdout.isTTY) await loadWrapping();
  return createContext(options);
}
