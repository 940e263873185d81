import type { QuotaDesign } from '../cbpolicyd/design.js';
import type { Host, ReadHost } from '../host/host.js';
import type { PostconfReader } from '../zimbra/postconf.js';
import type { ServerEnv } from '../zimbra/server-env.js';
import type { ZmprovResult } from '../zimbra/zmprov-batch.js';
import type { Settings } from './settings.js';

/** The server's facts are Zimbra's (zimbra/server-env.ts); named here with the plan's types the controls use. */
export type { ServerEnv };

/** A service that an applied change needs restarted. */
export type Service = 'mta' | 'cbpolicyd' | 'apache';

/**
 * A change to make, as plain data: the engine runs it, the renderer shows it, JSON carries it.
 * `zmprov` actions of one apply go to a single batched zmprov process.
 */
export type Action =
  | { kind: 'zmprov'; argv: string[] }
  | {
      kind: 'write-file';
      path: string;
      content: string;
      /** Unified diff shown to the user (secrets redacted). */
      diff: string;
      mode?: number;
      /** Owner to give the file; default: that of the file being replaced. */
      owner?: { uid: number; gid: number };
      /** Check run on the temporary file before it replaces the target. */
      validate?: 'php-lint' | 'apache-config';
      /** false only for files the tool creates and owns entirely. */
      backup: boolean;
    }
  | { kind: 'remove-file'; path: string }
  | {
      kind: 'run';
      command: string;
      args: string[];
      user?: string;
      /** Written to the command's standard input (never a secret: plans are shown). */
      input?: string;
      /** Time limit (default: the host's); a service restart gets minutes. */
      timeoutMs?: number;
      /** A service restart: on Ctrl-C it is left to finish. */
      finishOnInterrupt?: boolean;
      /** The services this command restarts (crossed off the pending restarts once it succeeded). */
      restarts?: Service[];
    }
  | {
      /** cbpolicyd's quota rows brought to `design` in one transaction (cbpolicyd/quota-rows.ts writes them). */
      kind: 'policyd-rows';
      /** Server path of the SQLite database. */
      database: string;
      description: string;
      design: QuotaDesign;
    };

/** `needs`: a setting the control cannot do without is missing (plan and audit only; apply refuses first). */
export type Status = 'ok' | 'change' | 'skip' | 'fail' | 'needs';

/** One line of a plan or audit: a control's verdict on one thing (a domain, a server, a file). */
export interface Item {
  control: string;
  /** What the item is about, e.g. the domain or the server name. */
  subject: string;
  status: Status;
  /** One line of why. */
  message: string;
  actions: Action[];
  /** Services that must restart once the actions are applied. */
  restart: Service[];
  /** 'after-restart': the actions need a service (re)started first (e.g. a DB cbpolicyd creates). */
  phase?: 'before-restart' | 'after-restart';
  /** Audit severity when not ok: warning = a protection is missing; suggestion = worth considering. */
  severity?: 'warning' | 'suggestion';
  /** Extra lines shown under the item (evidence, hints). */
  details?: string[];
  /** A `needs` item: flags that would give the missing setting, built from what the server has. */
  example?: string[];
}

/** What a control reads with: the read-only host, the server, the settings and its zmprov reads. */
export interface GatherContext {
  host: ReadHost;
  env: ServerEnv;
  settings: Settings;
  /** Results of this control's zmprov reads, in the order `reads` returned them. */
  reads: ZmprovResult[];
  /** Postfix's live parameters: one postconf run for every control's `postconf` names. */
  postconf: PostconfReader;
  /** `--config FILE` when not the default (what a cron line must carry to find the same settings). */
  configPath?: string;
}

/** What a control's `verify` is given once the changes are applied and the services restarted. */
export interface VerifyContext {
  host: Host;
  env: ServerEnv;
  settings: Settings;
  /** This control's items of the applied plan. */
  items: readonly Item[];
  /** Postfix's parameters after the restart: one postconf run shared by the controls. */
  postconf: PostconfReader;
}

/** One verdict of a verification, with the evidence it rests on. */
export interface Verification {
  ok: boolean;
  message: string;
  evidence: string[];
}

/** What a control decides with besides its facts: no host, so planning cannot touch the server. */
export interface PlanContext {
  env: ServerEnv;
  settings: Settings;
  configPath?: string;
}

/**
 * One hardening step, in two halves: `gather` reads what the step depends on (through `reads`,
 * batched by the engine, and the read-only host) and returns it as plain facts; `plan` turns
 * facts, server and settings into items without any I/O, so a plan can be computed from facts
 * alone (and tested so). After the restart, `verify` says whether what it set up is live.
 */
export interface Control<Facts = unknown> {
  id: string;
  title: string;
  /** zmprov read commands (argv without `zmprov`), batched with every other control's into one process. */
  reads(env: ServerEnv, settings: Settings): string[][];
  /** Postfix parameters it reads with postconf (gather and verify), read with every other control's in one process. */
  postconf?(env: ServerEnv, settings: Settings): readonly string[];
  gather(ctx: GatherContext): Promise<Facts>;
  /** Pure; a promise only where a parser is asynchronous (the Apache include walk over gathered files). */
  plan(facts: Facts, ctx: PlanContext): Item[] | Promise<Item[]>;
  /** After the restart: whether what the control set up is live (empty: nothing of it to verify). */
  verify?(ctx: VerifyContext): Promise<Verification[]>;
}
