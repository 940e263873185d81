import { describe, expect, it } from 'vitest';
import { guarded, trackChild } from '../../src/host/interrupts.js';

describe('signal handlers', () => {
  it('are on while a guarded section or a child runs, and off again once the process is idle', async () => {
    const before = { int: process.listenerCount('SIGINT'), term: process.listenerCount('SIGTERM') };
    await guarded(async () => {
      expect(process.listenerCount('SIGTERM')).toBe(before.term + 1);
      const done = trackChild({ label: 'zmmtactl reload', finish: true, stop: () => {} });
      const doneToo = trackChild({ label: 'postconf', finish: false, stop: () => {} });
      done();
      expect(process.listenerCount('SIGINT')).toBe(before.int + 1);
      doneToo();
    });
    expect({ int: process.listenerCount('SIGINT'), term: process.listenerCount('SIGTERM') }).toEqual(before);

    const done = trackChild({ label: 'zmcontrol -v', finish: false, stop: () => {} });
    expect(process.listenerCount('SIGTERM')).toBe(before.term + 1);
    done();
    expect(process.listenerCount('SIGTERM')).toBe(before.term);
  });
});
