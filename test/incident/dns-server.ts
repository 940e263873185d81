/** A tiny DNS server on 127.0.0.1 (UDP, port chosen by the system) answering A and TXT queries as a test decides. */
import { createSocket } from 'node:dgram';
import { onTestFinished } from 'vitest';

export type DnsAnswer = { a?: string[]; txt?: string } | 'nxdomain' | 'refused' | 'servfail' | 'silent';

export interface TestDnsServer {
  /** `127.0.0.1:PORT`, for --resolver. */
  address: string;
  queries: { name: string; type: number }[];
}

const TYPE_A = 1;
const TYPE_TXT = 16;
const RCODE = { nxdomain: 3, refused: 5, servfail: 2 } as const;

function questionOf(msg: Buffer): { name: string; type: number; end: number } {
  const labels: string[] = [];
  let at = 12;
  while (msg[at]! > 0) {
    labels.push(msg.toString('latin1', at + 1, at + 1 + msg[at]!));
    at += msg[at]! + 1;
  }
  return { name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(at + 1), end: at + 5 };
}

function reply(query: Buffer, end: number, rcode: number, records: Buffer[]): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  header.writeUInt16BE(0x8000 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  return Buffer.concat([header, query.subarray(12, end), ...records]);
}

function record(type: number, rdata: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0); // the question's name
  head.writeUInt16BE(type, 2);
  head.writeUInt16BE(1, 4); // IN
  head.writeUInt32BE(60, 6);
  head.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([head, rdata]);
}

/** Starts the server; it stops when the test ends. `answer` decides per query name and type. */
export async function startDnsServer(answer: (name: string, type: number) => DnsAnswer): Promise<TestDnsServer> {
  const socket = createSocket('udp4');
  const queries: TestDnsServer['queries'] = [];
  socket.on('message', (msg, from) => {
    const q = questionOf(msg);
    queries.push({ name: q.name, type: q.type });
    const a = answer(q.name, q.type);
    if (a === 'silent') return;
    let out: Buffer;
    if (typeof a === 'string') out = reply(msg, q.end, RCODE[a], []);
    else if (q.type === TYPE_A && a.a) out = reply(msg, q.end, 0, a.a.map((ip) => record(TYPE_A, Buffer.from(ip.split('.').map(Number)))));
    else if (q.type === TYPE_TXT && a.txt) out = reply(msg, q.end, 0, [record(TYPE_TXT, Buffer.concat([Buffer.from([a.txt.length]), Buffer.from(a.txt, 'latin1')]))]);
    else out = reply(msg, q.end, 0, []);
    socket.send(out, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { address: `127.0.0.1:${socket.address().port}`, queries };
}

/** Like a resolver that really asks the lists: every list's test entry 127.0.0.2 (RFC 5782) is listed; other names as `answer` decides. */
export function withTestEntries(answer: (name: string, type: number) => DnsAnswer): (name: string, type: number) => DnsAnswer {
  return (name, type) => (name.startsWith('2.0.0.127.') && type === 1 ? { a: ['127.0.0.2'] } : answer(name, type));
}
