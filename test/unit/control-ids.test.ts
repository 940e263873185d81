import { describe, expect, it } from 'vitest';
import { CONTROLS } from '../../src/controls/index.js';
import { CONTROL_IDS } from '../../src/controls/ids.js';

describe('control ids', () => {
  it('lists every control, in order, and the restart step that --skip also accepts', () => {
    expect(CONTROL_IDS).toEqual([...CONTROLS.map((c) => c.id), 'restart']);
  });
});
