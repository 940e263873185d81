import { execa } from 'execa';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { seedQueue } from '../../src/simulation/sandbox/queue/seed.js';
import { parseQueueJson, parseQueueText } from '../../src/zimbra/queue-listing.js';
import { zimbraPaths } from '../../src/zimbra/paths.js';
import { incidentSandbox } from './helpers.js';

it('postqueue -p and -j of the same queue parse to the same messages (ids, queues, senders, recipients, reasons, sizes, times)', async () => {
  const box = await incidentSandbox('10.1.0', { account: 'carol@a.example' });
  seedQueue(box.root, [{ queue: 'hold', sender: 'Bob@A.example', recipients: ['x@example.net', { address: 'y@example.net', reason: 'connect to mx.example.net[192.0.2.1]:25: Connection refused' }] }]);
  const postqueue = join(box.root, zimbraPaths({ major: 10, minor: 1, patch: 0 }).postqueue);
  const text = parseQueueText((await execa(postqueue, ['-p'])).stdout);
  const json = parseQueueJson((await execa(postqueue, ['-j'])).stdout);
  expect(json).toHaveLength(19);
  expect(text).toEqual(json);
  expect(json.filter((m) => m.sender === '')).toHaveLength(4);
  expect(json.find((m) => m.queue === 'hold')).toMatchObject({ sender: 'bob@a.example', recipients: [{ address: 'y@example.net', reason: expect.stringMatching(/refused$/) }, { address: 'x@example.net' }] });
});

it('reads long queue ids, the # of forced expiry and skips noise', () => {
  const text = [
    'postqueue: warning: Mail system is down -- accessing queue directly',
    '----Queue ID----- --Size-- ---Arrival Time---- --Sender/Recipient------',
    '4XkS3B0Rz6z9sW7!#    2048 Wed Oct 30 08:49:20  spam@example.com',
    '                                              (host mx.example.net[192.0.2.1] said: 421 4.7.0 Try later (in reply to MAIL FROM command))',
    '                                              a@example.org',
    '',
    '-- 2 Kbytes in 1 Request.',
  ].join('\n');
  const [m] = parseQueueText(text, new Date(2024, 10, 1));
  expect(m).toMatchObject({ id: '4XkS3B0Rz6z9sW7', queue: 'hold', sender: 'spam@example.com', size: 2048, arrival: new Date(2024, 9, 30, 8, 49, 20).getTime() });
  expect(m!.recipients).toEqual([{ address: 'a@example.org', reason: 'host mx.example.net[192.0.2.1] said: 421 4.7.0 Try later (in reply to MAIL FROM command)' }]);
  expect(parseQueueText('Mail queue is empty\n')).toEqual([]);
  expect(parseQueueJson('not json\n{"queue_name": "active"}\n')).toEqual([]);
});
