/**
 * The real cbpolicyd 2.1.0.0 (../shared/vendor beside the repository, the commit Zimbra ships) for tests: its database built
 * as zmcbpolicydinit builds it, the daemon in the foreground on a free loopback port, and a client
 * that asks it what Postfix asks.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { join } from 'node:path';

// The unmodified tree Zimbra builds from, kept beside the repository (shared/vendor), never in it: it is GPL test data.
export const CBPOLICYD_SRC = process.env.CBPOLICYD_SRC ?? join(import.meta.dirname, '../../../shared/vendor/cbpolicyd-2.1.0.0');

/** zmcbpolicydinit converts the module templates in this order. */
const MODULES = ['core', 'access_control', 'accounting', 'amavis', 'quotas', 'checkhelo', 'checkspf', 'greylisting'];

/** What the daemon loads, and the Debian package that brings it. */
const PERL_MODULES: [string, string][] = [
  ['Net::Server::PreFork', 'libnet-server-perl'],
  ['Config::IniFiles', 'libconfig-inifiles-perl'],
  ['Cache::FastMmap', 'libcache-fastmmap-perl'],
  ['DBI', 'libdbi-perl'],
  ['DBD::SQLite', 'libdbd-sqlite3-perl'],
  ['Date::Parse', 'libtimedate-perl'],
  ['URI::Escape', 'liburi-perl'],
];

/** Fails with the apt-get line to run when perl or a module the daemon needs is missing. */
export function requirePerlModules(): void {
  const missing = PERL_MODULES.filter(([module]) => spawnSync('perl', [`-M${module}`, '-e', '1'], { stdio: 'ignore' }).status !== 0);
  if (missing.length > 0) {
    throw new Error(`the real cbpolicyd needs Perl modules ${missing.map(([m]) => m).join(', ')}: apt-get install ${missing.map(([, p]) => p).join(' ')}`);
  }
}

export interface Seed {
  /** `zmprov gad`. */
  domains: string[];
  /** The last network of zimbraMtaMyNetworks (global, then server), as zmcbpolicydinit's awk picks it. */
  networks: string[];
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * zmcbpolicydinit: `convert-tsql sqlite` on every module template, `#` lines dropped, fed to
 * sqlite3; since ZCS 8.8.8 the domains and networks added to internal_domains and internal_ips.
 */
export function buildPolicyDb(file: string, seed: Seed): void {
  if (!existsSync(join(CBPOLICYD_SRC, 'cbpolicyd'))) throw new Error(`no cbpolicyd source at ${CBPOLICYD_SRC}: set CBPOLICYD_SRC to the unmodified cbpolicyd-2.1.0.0 tree`);
  const sql = MODULES.map((m) => execFileSync('bash', [join(CBPOLICYD_SRC, 'database/convert-tsql'), 'sqlite', join(CBPOLICYD_SRC, `database/${m}.tsql`)], { encoding: 'utf8' }))
    .join('')
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n');
  const members = [...seed.domains.map((d) => [2, `@${d}`] as const), ...seed.networks.map((n) => [1, n] as const)];
  const seeding = members.map(([group, member]) => `INSERT INTO policy_group_members (PolicyGroupID,Member) VALUES (${group},${quote(member)});`).join('\n');
  execFileSync('sqlite3', [file], { input: `${sql}\n${seeding}\n` });
}

/** A TCP port nobody listens on now: the kernel's pick for port 0. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Daemon {
  port: number;
  /** Everything the daemon has logged so far (stdout and stderr: in the foreground it logs there). */
  log(): string;
  /** Resolves once a log line contains every one of `words`; rejects after `ms` naming them. */
  waitForLog(words: string[], ms?: number): Promise<string>;
  stop(): Promise<void>;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

async function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts the daemon with only the Quotas module, the way README.zimbra-harden.md of the vendor tree
 * says: no user=/group= (as root it keeps EUID 0; user=root would kill its workers).
 */
export async function startCbpolicyd(options: { dbFile: string; dir: string; timeoutMs?: number }): Promise<Daemon> {
  const port = await freePort();
  const config = join(options.dir, 'cbpolicyd.conf');
  writeFileSync(
    config,
    [
      '[server]',
      'protocols=Postfix',
      'modules=Quotas',
      'proto=tcp',
      'host=127.0.0.1',
      `port=${port}`,
      `pid_file=${join(options.dir, 'cbpolicyd.pid')}`,
      `cache_file=${join(options.dir, 'cbpolicyd.cache')}`,
      'log_level=4',
      'log_detail=modules,tracking,policies',
      '',
      '[database]',
      `DSN=DBI:SQLite:dbname=${options.dbFile}`,
      '',
      '[Quotas]',
      'enable=1',
      '',
    ].join('\n'),
  );
  let output = '';
  let exited: string | undefined;
  const child: ChildProcess = spawn('perl', ['-I', '.', '-I', 'awitpt', './cbpolicyd', `--config=${config}`, '--fg'], {
    cwd: CBPOLICYD_SRC,
    detached: true, // its own process group: stop() ends the parent and its preforked workers together
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', (code, signal) => ((exited = `exit ${code ?? signal}`), resolve())));
  child.stdout!.on('data', (d: Buffer) => (output += d.toString('latin1')));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString('latin1')));

  const stop = async () => {
    if (exited === undefined && child.pid !== undefined) {
      process.kill(-child.pid, 'SIGTERM');
      const hard = setTimeout(() => exited === undefined && process.kill(-child.pid!, 'SIGKILL'), 5000);
      await exitedPromise;
      clearTimeout(hard);
    }
  };

  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  while (!(await canConnect(port))) {
    if (exited !== undefined || Date.now() > deadline) {
      await stop();
      throw new Error(`cbpolicyd did not listen on 127.0.0.1:${port} (${exited ?? 'still starting'}); its output:\n${output.slice(-3000)}`);
    }
    await sleep(50);
  }

  return {
    port,
    log: () => output,
    async waitForLog(words, ms = 5000) {
      const end = Date.now() + ms;
      for (;;) {
        const line = output.split('\n').find((l) => words.every((w) => l.includes(w)));
        if (line !== undefined) return line;
        if (Date.now() > end) throw new Error(`cbpolicyd logged no line with ${words.join(' and ')}`);
        await sleep(20);
      }
    },
    stop,
  };
}

/** The attributes Postfix 3 sends at RCPT time (a realistic subset; empty values as Postfix sends them). */
export interface RcptRequest {
  client_address: string;
  sasl_username: string;
  sender: string;
  recipient: string;
  instance: string;
}

/** One connection, requests one after the other, as one smtpd process talks to the policy service. */
export class PolicyClient {
  private buffer = '';
  private waiting: ((answer: string) => void) | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0 && this.waiting) {
        const answer = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const done = this.waiting;
        this.waiting = undefined;
        done(answer);
      }
    });
  }

  static async connect(port: number): Promise<PolicyClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new PolicyClient(socket);
  }

  /** Sends one request; resolves with the `action=…` line. */
  async ask(r: RcptRequest, timeoutMs = 5000): Promise<string> {
    const attrs: [string, string][] = [
      ['request', 'smtpd_access_policy'],
      ['protocol_state', 'RCPT'],
      ['protocol_name', 'ESMTP'],
      ['helo_name', r.sasl_username ? 'client.example' : 'mx.outside.example'],
      ['queue_id', ''],
      ['sender', r.sender],
      ['recipient', r.recipient],
      ['recipient_count', '0'],
      ['client_address', r.client_address],
      ['client_name', 'unknown'],
      ['reverse_client_name', 'unknown'],
      ['instance', r.instance],
      ['sasl_method', r.sasl_username ? 'PLAIN' : ''],
      ['sasl_username', r.sasl_username],
      ['sasl_sender', ''],
      ['size', '0'],
      ['encryption_protocol', r.sasl_username ? 'TLSv1.3' : ''],
    ];
    const answer = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`cbpolicyd did not answer within ${timeoutMs} ms (recipient ${r.recipient})`)), timeoutMs);
      this.waiting = (a) => {
        clearTimeout(timer);
        resolve(a);
      };
    });
    this.socket.write(`${attrs.map(([k, v]) => `${k}=${v}`).join('\n')}\n\n`);
    return answer;
  }

  close(): void {
    this.socket.destroy();
  }
}
