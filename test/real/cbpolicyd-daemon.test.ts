/**
 * The quota rows `apply` writes, judged by what the real cbpolicyd 2.1.0.0 answers to them: a
 * simulated 10.1 host whose policy database is the real one (the vendor templates through
 * convert-tsql and sqlite3, as zmcbpolicydinit builds it), the tool's own `apply`, then the daemon
 * asked what Postfix asks at RCPT time (twice per recipient on port 25 and for webmail, once on
 * 587/465, as measured with Postfix 3.7: it re-runs the sender restrictions at every RCPT).
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policySchemaSql } from '../../src/simulation/cbpolicyd-schema.js';
import { parseQuotaMatch } from '../../src/monitor/postfix-lines.js';
import { createSandbox } from '../../src/simulation/sandbox/create.js';
import { toolPath } from '../../src/simulation/sandbox/tool-paths.js';
import { versionProfile } from '../../src/simulation/sandbox/versions.js';
import { cli } from '../helpers/sandbox.js';
import { buildPolicyDb, PolicyClient, requirePerlModules, startCbpolicyd, type Daemon, type Seed } from './cbpolicyd.js';

const N = 6;
const VERSION = '10.1.0';
const DB = '/opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb';
const CATCH_ALL = ['--catch-all', 'a.example=admin@a.example', '--catch-all', 'b.example=bob@b.example'];
/** The server's mynetworks, IPv6 as Postfix writes it, and two mailbox servers submitting webmail from inside it. */
const MY_NETWORKS = '127.0.0.0/8 10.0.0.0/24 [::1]/128 [fd00:1::]/64';
const MAILBOX_SERVER = '10.0.0.5';
const MAILBOX_SERVER_V6 = 'fd00:1::5';
const INTERNET = '203.0.113.9';
const ROAMING_USER = '198.51.100.7';
const VERSION_PROFILE = versionProfile(VERSION);
const LIMIT_DATA = `Sending limit reached: at most ${N} recipients per hour. Try again later or ask your administrator.`;

/** Policy requests per recipient: port 25 (and webmail) asks with the sender and the recipient restrictions. */
type Port = 'submission' | 'smtp';
const ASKS: Record<Port, number> = { submission: 1, smtp: 2 };

let dir = '';
let root = '';
let dbFile = '';
let daemon: Daemon | undefined;
let client: PolicyClient | undefined;
let messages = 0;

/** What zmcbpolicydinit (8.8.8+) adds: `zmprov gad`, and the last network of zimbraMtaMyNetworks by its own pipeline. */
function seedFromSandbox(hostname: string): Seed {
  const zmprov = join(root, toolPath('zmprov', VERSION_PROFILE));
  const sh = (script: string) => execFileSync('bash', ['-c', script, 'zmcbpolicydinit', zmprov, hostname], { encoding: 'utf8' }).trim();
  const lastNetwork = (query: string) => sh(`${query} | grep zimbraMtaMyNetworks | sed 's/127.0.0.0\\/8 //g' | awk '{ print $NF }'`);
  return { domains: sh('"$1" gad').split('\n').filter(Boolean), networks: [lastNetwork('"$1" gacf'), lastNetwork('"$1" gs "$2"')] };
}

/** The first sql block after `heading` in the README or a page of docs/ (where an admin reads it). */
function documentedSql(heading: string): string {
  const repo = join(import.meta.dirname, '../..');
  for (const file of ['README.md', ...readdirSync(join(repo, 'docs')).map((f) => join('docs', f))]) {
    const text = readFileSync(join(repo, file), 'utf8');
    const at = text.indexOf(heading);
    const block = at >= 0 ? /```sql\n([\s\S]*?)```/.exec(text.slice(at)) : null;
    if (block) return block[1]!;
  }
  throw new Error(`no sql block after "${heading}" in README.md or docs/`);
}

interface Sent {
  accepted: number;
  /** The recipient cbpolicyd refused, its answer, and on which ask (1: sender restrictions, 2: recipient restrictions). */
  deferred?: { recipient: string; answer: string; ask: number };
}

interface Message {
  port: Port;
  from: string;
  sasl?: string;
  sender: string;
  recipients: number;
  tag: string;
}

/**
 * One message as Postfix handles it (one instance, one sender): every recipient asked ASKS[port]
 * times in a row; the first answer that is not DUNNO refuses that recipient and, as a client gives
 * up, ends the message.
 */
async function send(m: Message): Promise<Sent> {
  const instance = `${(++messages).toString(16)}.6743a1c2.${m.tag}.0`;
  for (let i = 1; i <= m.recipients; i++) {
    const recipient = `${m.tag}-${i}@dest.example`;
    for (let ask = 1; ask <= ASKS[m.port]; ask++) {
      const answer = await client!.ask({ client_address: m.from, sasl_username: m.sasl ?? '', sender: m.sender, recipient, instance });
      if (answer !== 'action=DUNNO') return { accepted: i - 1, deferred: { recipient, answer, ask } };
    }
  }
  return { accepted: m.recipients };
}

/** `count` messages, each with the sender it makes up; stops at the first deferral. Recipients accepted in all. */
async function sendEach(count: number, message: (i: number) => Message): Promise<Sent> {
  let accepted = 0;
  for (let i = 1; i <= count; i++) {
    const sent = await send(message(i));
    accepted += sent.accepted;
    if (sent.deferred) return { accepted, deferred: sent.deferred };
  }
  return { accepted };
}

/** The deferral is a quota hit (the log says reason=quota_match for that recipient) on the expected track. */
async function expectQuotaMatch(sent: Sent, track: string): Promise<void> {
  expect(sent.deferred).toBeDefined();
  const line = await daemon!.waitForLog(['reason=quota_match', `to=${sent.deferred!.recipient},`]);
  expect(line).toContain(`track=${track},`);
  expect(line).toContain('action=defer');
  // The monitor reads this real line as a quota hit of that account.
  expect(parseQuotaMatch(line)?.account).toBe(track.slice(track.indexOf(':') + 1));
}

beforeAll(async () => {
  requirePerlModules();
  dir = await mkdtemp(join(tmpdir(), 'zh-real-cbpolicyd-'));
  const info = await createSandbox(join(dir, 'host'), { version: VERSION, domains: ['a.example', 'b.example'] });
  root = info.root;
  execFileSync(join(root, toolPath('zmprov', VERSION_PROFILE)), ['ms', info.hostname, 'zimbraMtaMyNetworks', MY_NETWORKS]);
  execFileSync(join(root, toolPath('zmmtactl', VERSION_PROFILE)), ['restart']);
  dbFile = join(root, DB);
  mkdirSync(dirname(dbFile), { recursive: true });
  buildPolicyDb(dbFile, seedFromSandbox(info.hostname));
  const apply = await cli(['--root', root, 'apply', '--yes', ...CATCH_ALL, '--quota', String(N)]);
  if (apply.exitCode !== 0) throw new Error(`apply failed (${apply.exitCode}):\n${apply.stdout}\n${apply.stderr}`);
  daemon = await startCbpolicyd({ dbFile, dir });
  client = await PolicyClient.connect(daemon.port);
}, 120_000); // a sandbox, an apply and a Perl daemon: slow on a busy machine

afterAll(async () => {
  client?.close();
  await daemon?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the real cbpolicyd database', () => {
  it('is the one the simulated zmcbpolicydinit builds: same tables, columns, keys and stock rows', () => {
    const fresh = join(dir, 'fresh.sqlitedb');
    buildPolicyDb(fresh, { domains: [], networks: [] });
    const real = new Database(fresh, { readonly: true });
    const simulated = new Database(':memory:');
    simulated.exec(policySchemaSql());
    const shape = (db: Database.Database) =>
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map(({ name }) => ({
        name,
        columns: db.pragma(`table_info(${name})`),
        unique: (db.pragma(`index_list(${name})`) as { name: string; unique: number }[]).map((i) => [i.unique, db.pragma(`index_info(${i.name})`)]),
        keys: db.pragma(`foreign_key_list(${name})`),
        rows: db.prepare(`SELECT * FROM ${name}`).all(),
      }));
    try {
      expect(shape(simulated)).toEqual(shape(real));
    } finally {
      real.close();
      simulated.close();
    }
  });
});

describe('per-account limits (default), as the real cbpolicyd answers them', () => {
  it(`an SMTP AUTH login gets exactly ${N} recipients on submission, then the DEFER with the tool's message`, async () => {
    const sent = await send({ port: 'submission', from: ROAMING_USER, sasl: 'alice@a.example', sender: 'alice@a.example', recipients: N + 3, tag: 'alice' });
    expect(sent.accepted).toBe(N);
    expect(sent.deferred?.answer).toBe(`action=DEFER ${LIMIT_DATA}`);
    await expectQuotaMatch(sent, 'SASLUsername:alice@a.example');

    const claimsAnother = await send({ port: 'submission', from: ROAMING_USER, sasl: 'alice@a.example', sender: 'ceo@a.example', recipients: 1, tag: 'alice-as-ceo' });
    expect(claimsAnother.accepted).toBe(0);
    await expectQuotaMatch(claimsAnother, 'SASLUsername:alice@a.example');
  });

  it('a login that makes up a new sender for every message gets no fresh budget', async () => {
    const sent = await sendEach(2 * N, (i) => ({ port: 'submission', from: ROAMING_USER, sasl: 'carol@a.example', sender: `forged${i}@yahoo.example`, recipients: 1, tag: `carol${i}` }));
    expect(sent.accepted).toBe(N);
    expect(sent.deferred?.answer).toBe(`action=DEFER ${LIMIT_DATA}`);
    await expectQuotaMatch(sent, 'SASLUsername:carol@a.example');
  });

  it(`SMTP AUTH on port 25 gets half (${N / 2}): the same row, asked twice per recipient`, async () => {
    const sent = await send({ port: 'smtp', from: ROAMING_USER, sasl: 'dave@b.example', sender: 'dave@b.example', recipients: N, tag: 'dave' });
    expect(sent.accepted).toBe(N / 2);
    expect(sent.deferred).toMatchObject({ answer: `action=DEFER ${LIMIT_DATA}`, ask: 1 });
    await expectQuotaMatch(sent, 'SASLUsername:dave@b.example');
  });

  it(`webmail (a mailbox server of mynetworks, no SMTP AUTH) gets exactly ${N} per sender`, async () => {
    const erin = await send({ port: 'smtp', from: MAILBOX_SERVER, sender: 'erin@a.example', recipients: N + 2, tag: 'erin' });
    expect(erin.accepted).toBe(N);
    expect(erin.deferred?.answer).toBe(`action=DEFER ${LIMIT_DATA}`);
    await expectQuotaMatch(erin, 'Sender:erin@a.example');

    const frank = await send({ port: 'smtp', from: MAILBOX_SERVER, sender: 'frank@a.example', recipients: 1, tag: 'frank' });
    expect(frank).toEqual({ accepted: 1 });
  });

  it('webmail from a mailbox server on IPv6 (mynetworks [fd00:1::]/64) is counted too', async () => {
    const sent = await send({ port: 'smtp', from: MAILBOX_SERVER_V6, sender: 'lena@a.example', recipients: N + 1, tag: 'lena' });
    expect(sent.accepted).toBe(N);
    expect(sent.deferred?.answer).toBe(`action=DEFER ${LIMIT_DATA}`);
    await expectQuotaMatch(sent, 'Sender:lena@a.example');
  });

  it("the documented SQL that raises one login's limit lifts the general limit for that login only", async () => {
    execFileSync('sqlite3', [dbFile], { input: documentedSql('Raising the limit for one account') });
    const news = await send({ port: 'submission', from: ROAMING_USER, sasl: 'news@example.com', sender: 'news@example.com', recipients: N + 2, tag: 'news' });
    expect(news).toEqual({ accepted: N + 2 });
    await daemon!.waitForLog(['reason=quota_create', 'to=news-1@dest.example,', 'track=SASLUsername:news@example.com,']);
    const other = await send({ port: 'submission', from: ROAMING_USER, sasl: 'olga@example.com', sender: 'olga@example.com', recipients: N + 1, tag: 'olga' });
    expect(other.accepted).toBe(N);
  });

  it("mail from the Internet is never counted, not even with a user's address as sender", async () => {
    // More recipients than any limit lets through: counted per sender (2 asks each), gina would be over.
    const forger = await send({ port: 'smtp', from: INTERNET, sender: 'gina@a.example', recipients: N + 1, tag: 'inbound' });
    expect(forger).toEqual({ accepted: N + 1 });
    const gina = await send({ port: 'smtp', from: MAILBOX_SERVER, sender: 'gina@a.example', recipients: 1, tag: 'gina' });
    expect(gina).toEqual({ accepted: 1 });
    expect(daemon!.log()).not.toMatch(/reason=quota_match[^\n]*to=inbound-/);
  });
});

describe('--quota-style recipe, as the real cbpolicyd answers it', () => {
  const RECIPE_DATA = `Maximum ${N} emails delivery per hour`;

  it('switching style takes effect on the next request, without restarting cbpolicyd', async () => {
    const before = await send({ port: 'submission', from: ROAMING_USER, sasl: 'kim@a.example', sender: 'kim@a.example', recipients: N + 1, tag: 'kim' });
    expect(before.accepted).toBe(N);
    const apply = await cli(['--root', root, 'apply', '--yes', '--quota', String(N), '--quota-style', 'recipe']);
    expect(apply.exitCode, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toMatch(/policy "zimbra-harden: authenticated senders" \(replaced by the recipe's quota[^\n]*\): enabled → disabled/);
    const after = await send({ port: 'submission', from: ROAMING_USER, sasl: 'kim@a.example', sender: 'kim@a.example', recipients: 1, tag: 'kim-after' });
    expect(after).toEqual({ accepted: 1 });
  });

  it(`lets ${N + 1} recipients of one sender through on submission (CounterLimit ${N}), then the recipe's DEFER`, async () => {
    const sent = await send({ port: 'submission', from: ROAMING_USER, sasl: 'henry@a.example', sender: 'henry@a.example', recipients: N + 3, tag: 'henry' });
    expect(sent.accepted).toBe(N + 1);
    expect(sent.deferred?.answer).toBe(`action=DEFER ${RECIPE_DATA}`);
    await expectQuotaMatch(sent, 'Sender:henry@a.example');
  });

  it('gives a login a fresh budget for every sender it makes up', async () => {
    const sent = await sendEach(N + 2, (i) => ({ port: 'submission', from: ROAMING_USER, sasl: 'ivan@a.example', sender: `forged${i}@yahoo.example`, recipients: 1, tag: `ivan${i}` }));
    expect(sent).toEqual({ accepted: N + 2 });
  });

  it(`counts mail from the Internet (${Math.floor((N + 1) / 2)} on port 25), so a forger uses up a user's budget`, async () => {
    const forger = await send({ port: 'smtp', from: INTERNET, sender: 'jane@a.example', recipients: N, tag: 'recipe-forger' });
    expect(forger.accepted).toBe(Math.floor((N + 1) / 2));
    expect(forger.deferred?.answer).toBe(`action=DEFER ${RECIPE_DATA}`);
    await expectQuotaMatch(forger, 'Sender:jane@a.example');

    const jane = await send({ port: 'submission', from: ROAMING_USER, sasl: 'jane@a.example', sender: 'jane@a.example', recipients: 1, tag: 'jane' });
    expect(jane.accepted).toBe(0);
    await expectQuotaMatch(jane, 'Sender:jane@a.example');
  });
});
