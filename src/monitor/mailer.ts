import nodemailer from 'nodemailer';
import { ConfigError } from '../errors.js';

export interface MailSettings {
  smtpHost: string;
  smtpPort: number;
  to: string;
  from: string;
}

const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;

/** A bare address (no display name, no line break): nothing can be injected into the headers through it. */
export function checkAddress(value: string, key: string): string {
  if (!ADDRESS.test(value)) throw new ConfigError(`${key}: ${JSON.stringify(value.slice(0, 80))} is not a plain e-mail address`);
  return value;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** Sends one plain-text report through the local MTA (no authentication); returns the Message-ID. */
export async function sendReport(mail: MailSettings, subject: string, text: string): Promise<string> {
  const to = checkAddress(mail.to, 'monitor.reportTo');
  const from = checkAddress(mail.from, 'monitor.reportFrom');
  const transport = nodemailer.createTransport({
    host: mail.smtpHost,
    port: mail.smtpPort,
    secure: false,
    ignoreTLS: false,
    requireTLS: false,
    // The local MTA's certificate is usually self-signed; on loopback nothing is exposed.
    tls: { rejectUnauthorized: !isLoopback(mail.smtpHost) },
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
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
