// Drag-to-call: what dropping something somewhere means. The Home screen has three places to
// drop on — the Home Circle, the Activities Wheel around it, a contact (in the wheel or the
// lists) — and "away" (outside the wheel). What is dragged is a contact not in a call, or a
// party of a call in one of its states. Every action here also has a button (accessible name in
// the comment) so the app works without a pointer.
export type DragSource =
  | { readonly kind: 'contact'; readonly key: string; readonly onWheel: boolean }
  | { readonly kind: 'ringing'; readonly callId: string }
  | { readonly kind: 'talking'; readonly callId: string }
  | { readonly kind: 'held'; readonly callId: string }
  | { readonly kind: 'muted'; readonly callId: string }
  | { readonly kind: 'dialing'; readonly callId: string };

export type DropTarget =
  | { readonly kind: 'circle' }
  | { readonly kind: 'wheel' }
  | { readonly kind: 'contact'; readonly key: string }
  | { readonly kind: 'away' };

export type DragAction =
  /** "Call" */
  | { readonly kind: 'call'; readonly key: string }
  /** "Add to conference" */
  | { readonly kind: 'conference'; readonly key: string }
  /** "Answer" */
  | { readonly kind: 'answer'; readonly callId: string }
  /** "Decline" */
  | { readonly kind: 'decline'; readonly callId: string }
  /** "Hang up" */
  | { readonly kind: 'hang-up'; readonly callId: string }
  /** "Hold" */
  | { readonly kind: 'hold'; readonly callId: string }
  /** "Resume" */
  | { readonly kind: 'resume'; readonly callId: string }
  /** "Unmute" */
  | { readonly kind: 'unmute'; readonly callId: string }
  /** "Transfer" — asks first: Pin and hold / Pin and mute / Transfer. */
  | { readonly kind: 'transfer-menu'; readonly callId: string; readonly key: string }
  /** Pin to the wheel (drop a contact from the lists onto the wheel). */
  | { readonly kind: 'pin'; readonly key: string }
  /** Take a contact off the wheel (drag it out). */
  | { readonly kind: 'remove-from-wheel'; readonly key: string }
  | { readonly kind: 'none' };

export function dragAction(source: DragSource, target: DropTarget, inCall: boolean): DragAction {
  switch (source.kind) {
    case 'contact':
      if (target.kind === 'circle')
        return inCall ? { kind: 'conference', key: source.key } : { kind: 'call', key: source.key };
      if (target.kind === 'wheel' && !source.onWheel) return { kind: 'pin', key: source.key };
      if (target.kind === 'away' && source.onWheel) return { kind: 'remove-from-wheel', key: source.key };
      return { kind: 'none' };
    case 'ringing':
      if (target.kind === 'circle') return { kind: 'answer', callId: source.callId };
      if (target.kind === 'away') return { kind: 'decline', callId: source.callId };
      return { kind: 'none' };
    case 'dialing':
      return target.kind === 'away' ? { kind: 'hang-up', callId: source.callId } : { kind: 'none' };
    case 'talking':
      if (target.kind === 'away') return { kind: 'hang-up', callId: source.callId };
      if (target.kind === 'wheel') return { kind: 'hold', callId: source.callId };
      if (target.kind === 'contact') return { kind: 'transfer-menu', callId: source.callId, key: target.key };
      return { kind: 'none' };
    case 'held':
      if (target.kind === 'circle') return { kind: 'resume', callId: source.callId };
      if (target.kind === 'away') return { kind: 'hang-up', callId: source.callId };
      if (target.kind === 'contact') return { kind: 'transfer-menu', callId: source.callId, key: target.key };
      return { kind: 'none' };
    case 'muted':
      if (target.kind === 'circle') return { kind: 'unmute', callId: source.callId };
      if (target.kind === 'away') return { kind: 'hang-up', callId: source.callId };
      if (target.kind === 'contact') return { kind: 'transfer-menu', callId: source.callId, key: target.key };
      return { kind: 'none' };
  }
}
