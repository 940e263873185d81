import { createServer, type IncomingMessage } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { onTestFinished } from 'vitest';

export interface Received {
  from: string;
  to: string[];
  raw: string;
  user?: string;
  secure: boolean;
}

/** A real SMTP server on 127.0.0.1 (smtp-server), closed after the test. */
export async function smtpServer(options: Partial<SMTPServerOptions> = {}): Promise<{ port: number; mails: Received[] }> {
  const mails: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    ...options,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: session.user as string | undefined,
          secure: session.secure,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as { port: number }).port, mails };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Posted {
  path: string;
  contentType: string;
  body: unknown;
}

/** A real HTTP server on 127.0.0.1 that answers `status` to every POST and keeps what it got. */
export async function webhookServer(status = 204): Promise<{ url: string; posts: Posted[]; setStatus: (s: number) => void }> {
  const posts: Posted[] = [];
  let answer = status;
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.statusCode = answer;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, posts, setStatus: (s) => (answer = s) };
}

interface UnixDgramSocket {
  bind(path: string): void;
  on(event: 'message', listener: (message: Buffer) => void): void;
  close(): void;
}

/** A unix datagram socket at ROOT/dev/log, as syslogd listens on /dev/log; keeps each datagram. */
export function syslogSocket(root: string): { messages: string[] } {
  const require = createRequire(import.meta.url);
  const unix = require('unix-dgram') as { createSocket(type: 'unix_dgram'): UnixDgramSocket };
  const path = join(root, 'dev/log');
  mkdirSync(dirname(path), { recursive: true });
  const messages: string[] = [];
  const socket = unix.createSocket('unix_dgram');
  socket.on('message', (m) => messages.push(m.toString('utf8')));
  socket.bind(path);
  onTestFinished(() => socket.close());
  return { messages };
}
