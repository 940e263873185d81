import { ConfigError } from '../errors.js';

export interface MailSettings {
  smtpHost: string;
  smtpPort: number;
  to: string;
  from: string;
  /** auto: STARTTLS when offered (required when logging in to another host); starttls; tls (implicit, 465); none. */
  security?: 'auto' | 'starttls' | 'tls' | 'none';
  /** Login on the smarthost, with its password (read from the password file; never logged). */
  auth?: { user: string; pass: string };
}

const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;

/** A bare address (no display name, no line break): nothing can be injected into the headers through it. */
export function checkAddress(value: string, key: string): string {
  if (!ADDRESS.test(value)) throw new ConfigError(`${key}: ${JSON.stringify(value.slice(0, 80))} is not a plain e-mail address`);
  return value;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** `host:port`, with brackets around an IPv6 address. */
export function smtpTarget(mail: Pick<MailSettings, 'smtpHost' | 'smtpPort'>): string {
  return `${mail.smtpHost.includes(':') && !mail.smtpHost.startsWith('[') ? `[${mail.smtpHost}]` : mail.smtpHost}:${mail.smtpPort}`;
}

/** Sends one plain-text report through the local MTA or a smarthost; returns the Message-ID. */
export async function sendReport(mail: MailSettings, subject: string, text: string): Promise<string> {
  const to = checkAddress(mail.to, 'monitor.reportTo');
  const from = checkAddress(mail.from, 'monitor.reportFrom');
  const security = mail.security ?? 'auto';
  const loopback = isLoopback(mail.smtpHost);
  // Loaded only to send: most cron runs have nothing to report.
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport({
    host: mail.smtpHost,
    port: mail.smtpPort,
    secure: security === 'tls',
    ignoreTLS: security === 'none',
    // A password never crosses the network in clear text.
    requireTLS: security === 'starttls' || (security === 'auto' && mail.auth !== undefined && !loopback),
    auth: mail.auth,
    // The local MTA's certificate is usually self-signed; on loopback nothing is exposed.
    tls: { rejectUnauthorized: !loopback },
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
    logger: false,
    debug: false,
  });
  try {
    const info = await transport.sendMail({
      from,
      to,
      subject: subject.replace(/[\r\n]+/g, ' '),
      text,
      headers: { 'Auto-Submitted': 'auto-generated', Precedence: 'bulk' },
    });
    return info.messageId;
  } finally {
    transport.close();
  }
}
