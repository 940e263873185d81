import { afterEach, describe, expect, test, vi } from 'vitest';
import { createContext } from '../../src/commands/context.js';
import { runMonitorCommand } from '../../src/commands/monitor.js';
import { reportSubject, renderReport } from '../../src/monitor/report.js';
import { fixture, put, tempRoot } from './helpers.js';
import { smtpServer } from './report-servers.js';
import { jsonLines } from '../helpers/json-lines.js';

function headersOf(raw: string): Map<string, string> {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  return new Map(head.split('\r\n').map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
}

function bodyOf(raw: string): string {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  if (!/content-transfer-encoding: quoted-printable/i.test(raw)) return body;
  return Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))), 'latin1').toString('utf8');
}

/** A relaying account whose forged sender tries to inject headers and escape sequences. */
function hostileLog(): string {
  return fixture('recipe-fwd-only.log').replaceAll('<addresse@yahoo.com>', '<x\x1b[2J@yahoo.com>').replaceAll('sasl_username=bob@example.com', 'sasl_username=bob@example.com#015#012Bcc: victim@evil.example');
}

function captureStdout() {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  return { out, restore: () => spy.mockRestore() };
}

afterEach(() => vi.restoreAllMocks());

describe('the report', () => {
  test('exactly one well-formed mail through a real SMTP server; the second run sends nothing', async () => {
    const smtp = await smtpServer();
    {
      const root = tempRoot();
      put(root, '/var/log/zimbra.log', hostileLog());
      put(root, '/opt/zimbra/log/cbpolicyd.log', fixture('cbpolicyd.log'));
      put(root, '/etc/zimbra-harden/config.json', JSON.stringify({ monitor: { reportTo: 'admin@example.com', reportFrom: 'monitor@mail.example.com', smtpHost: '127.0.0.1', smtpPort: smtp.port } }));
      const ctx = createContext({ root, quiet: true });
      const stdout = captureStdout();
      const code = await runMonitorCommand(ctx, { mail: true, domains: 'example.com,example.org' });
      stdout.restore();
      expect(code).toBe(2);
      expect(stdout.out.join('')).toBe('');
      expect(smtp.mails).toHaveLength(1);
      const mail = smtp.mails[0]!;
      expect(mail.from).toBe('monitor@mail.example.com');
      expect(mail.to).toEqual(['admin@example.com']);
      const headers = headersOf(mail.raw);
      // the account is in the subject, with what it did; the header injection attempt is gone
      expect(headers.get('subject')).toMatch(/^\[zimbra-harden\] [A-Za-z0-9.-]+: bob@example.com_bcc_victim@evil.example \(relaying\); bob@example.com \(quota hit\)$/);
      expect(headers.get('to')).toBe('admin@example.com');
      expect(headers.get('auto-submitted')).toBe('auto-generated');
      expect(headers.has('bcc')).toBe(false);
      expect(mail.raw.slice(0, mail.raw.indexOf('\r\n\r\n'))).not.toMatch(/^Bcc:/im);
      const body = bodyOf(mail.raw);
      expect(body.split(/\r?\n/)[0]).toMatch(/: 2 accounts to act on \(2 findings in all\)$/);
      expect(body.indexOf('Summary')).toBeLessThan(body.indexOf('Evidence'));
      expect(body).toContain(`zimbra-harden --root '${root}' contain '`);
      expect(body).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/);

      expect(await runMonitorCommand(createContext({ root, quiet: true }), { mail: true, domains: 'example.com' })).toBe(0);
      expect(smtp.mails).toHaveLength(1);
    }
  });

  test('--json prints JSON lines: version, each finding, a summary', async () => {
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', fixture('relay-mail-id.log'));
    const stdout = captureStdout();
    const code = await runMonitorCommand(createContext({ root, json: true, quiet: true }), { mail: true, domains: 'example.com', since: '2024-10-30T00:00' });
    stdout.restore();
    expect(code).toBe(2);
    const lines = jsonLines(stdout.out.join(''));
    expect(lines[0]).toMatchObject({ type: 'version', schema: '2.1' });
    const findings = lines.filter((l) => l.type === 'finding');
    expect(findings.map((l) => l.subject).sort()).toEqual(['bob@example.com', 'dave@example.com']);
    expect(findings.every((l) => l.id === 'forged-sender-relay' && l.severity === 'warning')).toBe(true);
    expect(findings[0]!.actions).toContainEqual({ argv: ['zimbra-harden', 'contain', findings[0]!.subject], description: expect.stringMatching(/^lock it, new password/) });
    expect(lines[lines.length - 1]).toMatchObject({ type: 'summary', findings: 2 });
  });

  test('nothing found: exit 0, and quiet means silent', async () => {
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', fixture('recipe-fwd-only.log').split('\n').slice(0, 16).join('\n'));
    const stdout = captureStdout();
    const code = await runMonitorCommand(createContext({ root, quiet: true }), { mail: false, domains: 'example.com' });
    stdout.restore();
    expect(code).toBe(0);
    expect(stdout.out.join('')).toBe('');
  });

  test('the subject carries the account and what it did, nothing that could break the header', () => {
    const finding = { type: 'stolen-account' as const, key: 'k', subject: 'evil\r\nBcc: x@y', account: 'evil\r\nBcc: x@y', firstSeen: new Date(0).toISOString(), lastSeen: new Date(0).toISOString(), counts: {}, reasons: [], evidence: [], actions: [] };
    expect(reportSubject([finding], 'mail.example.com\r\nX: y')).toBe('[zimbra-harden] mail.example.comXy: evilBcc_x@y (stolen account)');
    expect(renderReport([finding], { hostname: 'h', bytesRead: 0, files: [] })).not.toContain('\r');
  });
});
