import { describe, expect, it } from 'vitest';
import { dragAction, type DragSource, type DropTarget } from './drag-actions.ts';

const circle: DropTarget = { kind: 'circle' };
const wheel: DropTarget = { kind: 'wheel' };
const away: DropTarget = { kind: 'away' };
const bob: DropTarget = { kind: 'contact', key: 'contact:bob' };

describe('drag-to-call', () => {
  it('calls a contact dropped into the circle, or adds it to the conference during a call', () => {
    const ada: DragSource = { kind: 'contact', key: 'contact:ada', onWheel: false };
    expect(dragAction(ada, circle, false)).toEqual({ kind: 'call', key: 'contact:ada' });
    expect(dragAction(ada, circle, true)).toEqual({ kind: 'conference', key: 'contact:ada' });
    expect(dragAction(ada, wheel, false)).toEqual({ kind: 'pin', key: 'contact:ada' });
    expect(dragAction(ada, away, false)).toEqual({ kind: 'none' });
    expect(dragAction({ ...ada, onWheel: true }, away, false)).toEqual({
      kind: 'remove-from-wheel',
      key: 'contact:ada',
    });
  });

  it('answers a ringing caller dropped in the circle, declines one dragged away', () => {
    const ringing: DragSource = { kind: 'ringing', callId: 'c1' };
    expect(dragAction(ringing, circle, false)).toEqual({ kind: 'answer', callId: 'c1' });
    expect(dragAction(ringing, away, true)).toEqual({ kind: 'decline', callId: 'c1' });
    expect(dragAction(ringing, wheel, false)).toEqual({ kind: 'none' });
  });

  it('holds, resumes, unmutes, hangs up and offers transfer for parties of a call', () => {
    expect(dragAction({ kind: 'talking', callId: 'c' }, wheel, true)).toEqual({ kind: 'hold', callId: 'c' });
    expect(dragAction({ kind: 'talking', callId: 'c' }, away, true)).toEqual({
      kind: 'hang-up',
      callId: 'c',
    });
    expect(dragAction({ kind: 'talking', callId: 'c' }, bob, true)).toEqual({
      kind: 'transfer-menu',
      callId: 'c',
      key: 'contact:bob',
    });
    expect(dragAction({ kind: 'held', callId: 'c' }, circle, true)).toEqual({ kind: 'resume', callId: 'c' });
    expect(dragAction({ kind: 'held', callId: 'c' }, away, true)).toEqual({ kind: 'hang-up', callId: 'c' });
    expect(dragAction({ kind: 'muted', callId: 'c' }, circle, true)).toEqual({ kind: 'unmute', callId: 'c' });
    expect(dragAction({ kind: 'muted', callId: 'c' }, away, true)).toEqual({ kind: 'hang-up', callId: 'c' });
    expect(dragAction({ kind: 'dialing', callId: 'c' }, away, true)).toEqual({
      kind: 'hang-up',
      callId: 'c',
    });
  });
});
