import { describe, expect, test } from 'vitest';
import { locate, Program, type LineView } from '../../src/monitor/syslog-line.js';

function view(): LineView {
  return { program: Program.Other, msgStart: 0 };
}

describe('syslog line header', () => {
  test("one log's host name length does not leak into the next log read in the same process", () => {
    // 20 characters: on the next log, the space after "postfix/smtpd[1]:" sits at that length.
    const first = Buffer.from('Oct 30 08:49:20 mail01.a.example.org postfix/smtpd[7]: connect from x[192.0.2.1]', 'latin1');
    locate(first, 0, first.length, view());
    const line = Buffer.from('Oct 30 08:49:20 mx postfix/smtpd[1]: connect from unknown[198.51.100.23]', 'latin1');
    const second = view();
    locate(line, 0, line.length, second);
    expect(second.program).toBe(Program.Smtpd);
    expect(line.toString('latin1', second.hostStart, second.hostEnd)).toBe('mx');
    expect(line.toString('latin1', second.msgStart, line.length)).toBe('connect from unknown[198.51.100.23]');
  });

  test('within one log the host field is still found on every line', () => {
    const v = view();
    for (const host of ['mail', 'mail', 'mx.b.example', 'mail']) {
      const line = Buffer.from(`Oct 30 08:49:20 ${host} postfix/qmgr[2]: ABC: removed`, 'latin1');
      locate(line, 0, line.length, v);
      expect(line.toString('latin1', v.hostStart, v.hostEnd)).toBe(host);
      expect(v.program).toBe(Program.Qmgr);
    }
  });
});
