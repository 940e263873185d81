import { execa } from 'execa';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { createContext, type GlobalOptions } from '../../src/commands/context.js';
import { runMonitorCommand, type MonitorFlags } from '../../src/commands/monitor.js';
import { tryLock } from '../../src/core/lock.js';
import { RealHost } from '../../src/host/real-host.js';
import { LOCK_PATH, STATE_PATH } from '../../src/monitor/state.js';
import { jsonLines } from '../helpers/json-lines.js';
import { CLI } from '../helpers/sandbox.js';
import { fixture, put, tempRoot } from './helpers.js';
import { closedPort, smtpServer, syslogSocket, webhookServer } from './report-servers.js';

const PASSWORD = 'S3cret-pa55word';

/** Runs `monitor` in-process; stdout and stderr are captured. */
async function monitor(root: string, flags: Partial<MonitorFlags> = {}, options: GlobalOptions = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => out.push(String(c)) > 0),
    vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => err.push(String(c)) > 0),
  ];
  try {
    const code = await runMonitorCommand(createContext({ root, quiet: true, ...options }), { mail: true, domains: 'example.com', ...flags });
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

/** A server root whose log has bob@example.com relaying, and this monitor config. */
function serverWith(config: Record<string, unknown>): string {
  const root = tempRoot();
  put(root, '/var/log/zimbra.log', fixture('recipe-fwd-only.log'));
  setConfig(root, config);
  return root;
}

function setConfig(root: string, config: Record<string, unknown>): void {
  put(root, '/etc/zimbra-harden/config.json', JSON.stringify({ monitor: { reportTo: 'admin@example.com', reportFrom: 'monitor@example.com', smtpHost: '127.0.0.1', ...config } }));
}

describe('the local MTA is down', () => {
  test('one line naming host:port and the error, the report on stdout, exit 75; the next run that can mail sends it once', async () => {
    const port = await closedPort();
    const root = serverWith({ smtpPort: port });
    // the built CLI, as cron runs it: no "internal error", a documented exit code
    const first = await execa(process.execPath, [CLI, '--root', root, 'monitor', '--quiet', '--domains', 'example.com'], { reject: false });
    expect(first.exitCode).toBe(75);
    expect(first.stderr).not.toMatch(/internal error|bug/i);
    expect(first.stderr).toContain(`could not mail the report to admin@example.com through 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(first.stdout).toContain('bob@example.com: Forged-sender relaying');

    // still down: reported again, not lost
    expect((await monitor(root, {})).code).toBe(75);

    const smtp = await smtpServer();
    setConfig(root, { smtpPort: smtp.port });
    const back = await monitor(root);
    expect(back).toMatchObject({ code: 2, stdout: '', stderr: '' });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.raw).toContain('bob@example.com');
    expect(await monitor(root)).toMatchObject({ code: 0, stdout: '' });
    expect(smtp.mails).toHaveLength(1);
  });
});

describe('a smarthost with authentication', () => {
  function authServer(secure = false) {
    return smtpServer({
      secure,
      disabledCommands: [],
      authOptional: false,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth(auth, _session, callback) {
        if (auth.username === 'relay@example.com' && auth.password === PASSWORD) callback(null, { user: auth.username });
        else callback(new Error('535 5.7.8 Authentication failed'));
      },
    });
  }

  test('STARTTLS, then AUTH with the password from its file; the password is in no output', async () => {
    const smtp = await authServer();
    const root = serverWith({ smtpPort: smtp.port, smtpSecurity: 'starttls', smtpUser: 'relay@example.com', smtpPasswordFile: '/etc/zimbra-harden/smtp-password' });
    put(root, '/etc/zimbra-harden/smtp-password', `${PASSWORD}\n`);
    const run = await monitor(root, {}, { json: true });
    expect(run.code).toBe(2);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({ user: 'relay@example.com', secure: true, to: ['admin@example.com'] });
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'summary', mode: 'monitor', delivered: ['mail'], failed: [], mailed: true });
    expect(readFileSync(join(root, STATE_PATH), 'utf8')).not.toContain(PASSWORD);
  });

  test('TLS from the first byte (port 465 style)', async () => {
    const smtp = await authServer(true);
    const root = serverWith({ smtpPort: smtp.port, smtpSecurity: 'tls', smtpUser: 'relay@example.com', smtpPasswordFile: '/etc/zimbra-harden/smtp-password' });
    put(root, '/etc/zimbra-harden/smtp-password', PASSWORD);
    expect((await monitor(root)).code).toBe(2);
    expect(smtp.mails[0]).toMatchObject({ user: 'relay@example.com', secure: true });
  });

  test('a wrong password: the server’s answer, not the password; the findings wait', async () => {
    const smtp = await authServer();
    const root = serverWith({ smtpPort: smtp.port, smtpSecurity: 'starttls', smtpUser: 'relay@example.com', smtpPasswordFile: '/etc/zimbra-harden/smtp-password' });
    put(root, '/etc/zimbra-harden/smtp-password', 'wrong-one\n');
    const asJson = await monitor(root, {}, { json: true });
    expect(asJson.code).toBe(75);
    expect(jsonLines(asJson.stdout).at(-1)).toMatchObject({ type: 'summary', mode: 'monitor', delivered: [], failed: ['mail'], pending: 1, mailed: false });
    expect(asJson.stdout + asJson.stderr).not.toContain('wrong-one');
    const run = await monitor(root);
    expect(run.code).toBe(75);
    expect(run.stderr).toMatch(new RegExp(`through 127\\.0\\.0\\.1:${smtp.port}: .*535`));
    expect(run.stderr).not.toContain('wrong-one');
    put(root, '/etc/zimbra-harden/smtp-password', PASSWORD);
    expect((await monitor(root)).code).toBe(2);
    expect(smtp.mails).toHaveLength(1);
  });
});

describe('other channels', () => {
  test('a webhook gets the findings as JSON; a failing one is named by its origin only, and gets them again', async () => {
    const hook = await webhookServer(500);
    const url = `${hook.url}/hooks/T0KEN-IN-PATH?key=T0KEN-IN-QUERY`;
    const root = serverWith({ reportTo: undefined, webhookUrl: url });
    const failed = await monitor(root);
    expect(failed.code).toBe(75);
    expect(failed.stderr).toContain(`could not post the report to ${hook.url}: HTTP 500`);
    expect(failed.stderr + failed.stdout).not.toContain('T0KEN');
    hook.setStatus(204);
    expect((await monitor(root)).code).toBe(2);
    expect(hook.posts).toHaveLength(2);
    const post = hook.posts[1]!;
    expect(post.path).toBe('/hooks/T0KEN-IN-PATH?key=T0KEN-IN-QUERY');
    expect(post.contentType).toBe('application/json');
    const body = post.body as { text: string; findings: { id: string; account?: string }[] };
    expect(body.text).toContain('bob@example.com');
    expect(body.findings.map((f) => f.id).sort()).toEqual(['forged-sender-relay']);
    expect((await monitor(root)).code).toBe(0);
    expect(hook.posts).toHaveLength(2);
  });

  test('syslog: one datagram per account on ROOT/dev/log, daemon.warning, tag zimbra-harden, no log text', async () => {
    const root = serverWith({ reportTo: undefined, syslog: true });
    const syslog = syslogSocket(root);
    expect((await monitor(root)).code).toBe(2);
    await vi.waitFor(() => expect(syslog.messages).toHaveLength(1));
    const message = syslog.messages[0]!;
    // <PRI> = facility daemon (3) * 8 + severity warning (4)
    expect(message).toMatch(/^<28>\w{3} [ \d]\d \d\d:\d\d:\d\d zimbra-harden: /);
    expect(message).toContain('bob@example.com — relaying');
    expect(message).not.toContain('FWD from');
  });

  test('syslog without a listening socket fails like any channel', async () => {
    const root = serverWith({ reportTo: undefined, syslog: true });
    const run = await monitor(root);
    expect(run.code).toBe(75);
    expect(run.stderr).toContain('could not write the report to syslog through /dev/log');
    expect(run.stdout).toContain('bob@example.com: Forged-sender relaying');
  });

  test('one channel down does not repeat the others: the webhook is posted once, the mail goes when the MTA is back', async () => {
    const hook = await webhookServer();
    const root = serverWith({ smtpPort: await closedPort(), webhookUrl: `${hook.url}/hook` });
    expect((await monitor(root)).code).toBe(75);
    expect(hook.posts).toHaveLength(1);
    const smtp = await smtpServer();
    setConfig(root, { smtpPort: smtp.port, webhookUrl: `${hook.url}/hook` });
    expect((await monitor(root)).code).toBe(2);
    expect(smtp.mails).toHaveLength(1);
    expect(hook.posts).toHaveLength(1);
  });
});

describe('looking without using anything up', () => {
  test('--no-mail prints the report and sends nothing; the next normal run mails it', async () => {
    const smtp = await smtpServer();
    const root = serverWith({ smtpPort: smtp.port });
    const look = await monitor(root, { mail: false });
    expect(look.code).toBe(2);
    expect(look.stdout).toContain('bob@example.com: Forged-sender relaying');
    expect(smtp.mails).toHaveLength(0);
    expect((await monitor(root)).code).toBe(2);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.raw).toContain('bob@example.com');
  });

  test('--no-mail without any channel: the next run still prints it (cron mails that)', async () => {
    const root = serverWith({ reportTo: undefined });
    expect((await monitor(root, { mail: false })).stdout).toContain('bob@example.com');
    expect((await monitor(root)).stdout).toContain('bob@example.com');
    expect((await monitor(root)).stdout).toBe('');
  });

  test('--peek saves nothing and takes no lock; the next run mails what it showed', async () => {
    const smtp = await smtpServer();
    const root = serverWith({ smtpPort: smtp.port });
    const held = await tryLock(new RealHost(root), LOCK_PATH);
    expect(held).toBeDefined();
    const look = await monitor(root, { peek: true });
    expect(look.code).toBe(2);
    expect(look.stdout).toContain('bob@example.com: Forged-sender relaying');
    expect(() => statSync(join(root, STATE_PATH))).toThrow();
    expect(smtp.mails).toHaveLength(0);
    expect((await monitor(root)).code).toBe(0); // the lock holder's run: skipped
    await held!.release();
    expect((await monitor(root)).code).toBe(2);
    expect(smtp.mails).toHaveLength(1);
  });
});
