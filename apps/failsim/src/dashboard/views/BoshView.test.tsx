import { describe, expect, it } from '@jest/globals';
import { BoshView } from './BoshView.js';
import { boshTasks, plainFrame } from './fixtures.js';

describe('BoshView', () => {
  it('lists the director\'s tasks as bosh tasks --recent does, newest first', () => {
    const lines = plainFrame(<BoshView rows={boshTasks} width={160} height={6} />).split('\n');
    expect(lines[0]).toMatch(/^── BOSH tasks\[2\] ─/);
    expect(lines[1]).toMatch(/^ID +STATE +STARTED +FINISHED +DEPLOYMENT +DESCRIPTION +RESULT$/);
    expect(lines[2]).toMatch(/^12 +error +T\+10:00 +T\+10:30 +service-instance_3aa87d05 +scan and fix +Timed out sending reboot$/);
    expect(lines[3]).toMatch(/^11 +done /);
  });

  it('drops the time columns first when narrow', () => {
    expect(plainFrame(<BoshView rows={boshTasks} width={70} height={6} />)).not.toContain('STARTED');
  });
});
