// Typed events the PBX publishes (live SIP status, call progress, metrics). Listeners are
// called synchronously and must not throw; a throwing listener is isolated from the others.
import type { BindingChange } from '../registrar/binding.ts';
import type { CallRecord } from '../call/call-record.ts';

export type PbxEvent =
  | { readonly type: 'registration'; readonly change: BindingChange }
  | {
      readonly type: 'call-started';
      readonly callId: string;
      readonly tenantId: string;
      readonly from: string;
      readonly to: string;
    }
  | { readonly type: 'call-answered'; readonly callId: string; readonly tenantId: string }
  | { readonly type: 'call-ended'; readonly record: CallRecord }
  | {
      /** A SIP trunk's registration at its provider changed state (trunks/trunk-registration.ts). */
      readonly type: 'trunk-registration';
      readonly trunkId: string;
      readonly tenantId: string;
      readonly name: string;
      readonly state: 'idle' | 'registering' | 'registered' | 'failed' | 'stopped';
      readonly status: number | undefined;
    }
  | {
      readonly type: 'auth-failure';
      readonly tenantId: string | undefined;
      readonly username: string;
      readonly source: string;
    };

export type PbxEventListener = (event: PbxEvent) => void;

export class PbxEventBus {
  private listeners: PbxEventListener[] = [];
  /** Errors thrown by listeners, handed to whoever wants to log them. */
  onListenerError: ((error: unknown) => void) | undefined;

  subscribe(listener: PbxEventListener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  publish(event: PbxEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError?.(error);
      }
    }
  }
}
