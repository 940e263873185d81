/**
 * `zimbra-harden contain ACCOUNT`: lock the stolen account, new password, end its sessions,
 * forwarding, hold (or delete) its queued mail, restart the MTA; then a delisting request text.
 */
import chalk from 'chalk';
import { dirname } from 'node:path';
import { isIP } from 'node:net';
import type { ApplyOutcome } from '../core/apply.js';
import { loadConfig } from './config-file.js';
import type { Item } from '../core/types.js';
import { UsageError } from '../errors.js';
import { planContain, PASSWORD_PLACEHOLDER } from '../incident/contain-plan.js';
import { delistingRequest, IP_PLACEHOLDER } from '../incident/delisting-request.js';
import { observeAccount, type AccountObservation } from '../incident/observe-account.js';
import { newPassword, withPassword } from '../incident/password.js';
import { readQueue } from '../zimbra/mail-queue.js';
import type { Reporter } from '../core/events.js';
import { runSession, withApplyLock } from '../core/session.js';
import { plural } from '../ui/render-items.js';
import { requireRoot } from './account-apply.js';
import type { Context } from './context.js';
import { sessionOf } from './session.js';

export interface ContainFlags {
  passwordFile?: string;
  removeForwarding?: boolean;
  deleteQueued?: boolean;
  ip?: string;
}

async function checkPasswordFile(ctx: Context, file: string): Promise<void> {
  if (await ctx.host.stat(file)) throw new UsageError(`--password-file ${file} already exists; name a new file (it is created with mode 0600)`);
  if (!(await ctx.host.stat(dirname(file)))?.isDirectory) throw new UsageError(`--password-file ${file}: folder ${dirname(file)} does not exist`);
}

export async function runContain(ctx: Context, name: string, flags: ContainFlags): Promise<number> {
  requireRoot(ctx, 'contain');
  if (ctx.out.json && !flags.passwordFile) throw new UsageError('--json needs --password-file FILE: the new password is never printed in JSON');
  // A file or a pipe keeps what it is given (a log, a mail, less's history): the password goes only to a terminal.
  if (!process.stdout.isTTY && !flags.passwordFile) throw new UsageError('standard output is not a terminal: give --password-file FILE; the new password is printed only on a terminal');
  const settings = await loadConfig(ctx.configPath);
  const ip = flags.ip ?? settings.incident?.publicIp;
  if (ip !== undefined && isIP(ip) !== 4) throw new UsageError(`--ip ${ip}: give the server's public IPv4 address`);
  if (flags.passwordFile) await checkPasswordFile(ctx, flags.passwordFile);

  return withApplyLock(ctx.host, 'zimbra-harden contain', async () => {
    const obs = await observeAccount(ctx.host, name.toLowerCase());
    const options = { removeForwarding: flags.removeForwarding ?? false, deleteQueued: flags.deleteQueued ?? false, passwordFile: flags.passwordFile };
    const observation = { env: obs.env, items: planContain(obs, options) };
    const account = obs.account.name;
    const password = newPassword();

    /** The queue verified, the password delivered, the delisting request: all before the recap. */
    const afterApply = async (outcome: ApplyOutcome, report: Reporter): Promise<boolean> => {
      const done = (control: string) => outcome.applied.some((i) => i.control === control);
      await verifyQueue(ctx, obs, observation.items, options.deleteQueued, report);
      const delivered = done('password') ? await deliverPassword(ctx, account, password, flags.passwordFile) : true;
      const inPlace = new Set(outcome.applied.map((i) => i.control));
      if (obs.account.status === 'locked') inPlace.add('lock');
      const text = delistingRequest({
        hostname: obs.env.hostname,
        ip,
        account,
        first: obs.trace.forgedFirst,
        last: obs.trace.forgedLast,
        forgedSenders: obs.trace.forged > 0,
        at: new Date(),
        done: inPlace,
        queued: { count: queuedIds(observation.items).length, deleted: options.deleteQueued },
      });
      ctx.out.event('delisting_request', { text });
      ctx.out.line();
      ctx.out.line(chalk.bold('Delisting request (for https://sender.office.com/, the sender support form or a block list’s contact):'));
      ctx.out.line(text.trimEnd());
      if (!ip) ctx.out.line(chalk.gray(`Replace ${IP_PLACEHOLDER} with the address (or give --ip); \`zimbra-harden incident\` checks the block lists.`));
      return delivered;
    };

    const { code } = await runSession(sessionOf(ctx), {
      command: 'contain',
      obs: observation,
      question: (changes) => `Contain ${account}? (${plural(changes, 'change')})`,
      applyHost: withPassword(ctx.host, obs.env.paths.zmprov, account, PASSWORD_PLACEHOLDER, password),
      afterApply,
    });
    return code;
  });
}

/** Queue ids the plan holds or deletes (the postsuper action's standard input). */
function queuedIds(items: readonly Item[]): string[] {
  const action = items.find((i) => i.control === 'queued-mail')?.actions[0];
  return action?.kind === 'run' && action.input ? action.input.split('\n').filter(Boolean) : [];
}

/** Re-reads the queue: every planned message held (or gone), and nothing new from the account's addresses waiting to leave. */
async function verifyQueue(ctx: Context, obs: AccountObservation, items: readonly Item[], deleted: boolean, report: Reporter): Promise<void> {
  if (obs.queueError) return;
  const ids = new Set(queuedIds(items));
  const now = await readQueue(ctx.host, obs.env.paths).catch((error: unknown) => error as Error);
  if (now instanceof Error) {
    report({ type: 'verify', ok: false, message: `queue: cannot read it again to verify (${now.message})`, evidence: [] });
    return;
  }
  const own = new Set(obs.account.addresses);
  const loose = now.messages.filter((m) => m.queue !== 'hold' && (ids.has(m.id) || own.has(m.sender)));
  const ok = loose.length === 0;
  const planned = deleted ? `${ids.size} deleted` : `${ids.size} on hold`;
  report({
    type: 'verify',
    ok,
    message: ok ? `queue: nothing of ${obs.account.name} is waiting to leave (${planned})` : `queue: ${loose.length} messages of ${obs.account.name} still waiting to leave; run contain again`,
    evidence: loose.slice(0, 10).map((m) => `${m.id} ${m.queue} from ${m.sender || 'MAILER-DAEMON'}`),
  });
}

/** The file (mode 0600) or the terminal, once; false when the file could not be written. */
async function deliverPassword(ctx: Context, account: string, password: string, file: string | undefined): Promise<boolean> {
  if (!file) {
    ctx.out.line();
    ctx.out.problem(`New password of ${account} (shown once, stored nowhere): ${chalk.bold(password)}`); // even with -q
    return true;
  }
  try {
    await ctx.host.writeFileAtomic(file, `${password}\n`, { mode: 0o600 });
  } catch (error) {
    ctx.out.error(`the new password is set but could not be written to ${file} (${(error as Error).message}); set another: zmprov sp ${account} NEWPASSWORD`);
    return false;
  }
  ctx.out.event('password', { account, file });
  ctx.out.line(`New password of ${account} written to ${file} (mode 0600).`);
  return true;
}
