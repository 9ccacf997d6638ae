// Live updates over the API's WebSocket (/api/v1/live, authenticated by the session cookie):
// device status and sub-status, SIP status. Pages subscribe to the messages they show; after a
// reconnect they get a `resync` so they can reload what they may have missed.
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { PortalLiveMessage } from '@switchboard/contracts';
import { API_BASE } from './client.ts';

export type LiveEvent = PortalLiveMessage | { readonly type: 'resync' };
type Listener = (event: LiveEvent) => void;

interface Live {
  readonly connected: boolean;
  readonly subscribe: (listener: Listener) => () => void;
}

const LiveContext = createContext<Live | null>(null);
const MAX_BACKOFF_MS = 15_000;

export function LiveProvider({
  enabled,
  children,
}: {
  readonly enabled: boolean;
  readonly children: ReactNode;
}) {
  const listeners = useRef(new Set<Listener>());
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    if (!enabled) return;
    let socket: WebSocket | undefined;
    let timer: number | undefined;
    let attempts = 0;
    let stopped = false;
    let opened = false;
    const emit = (event: LiveEvent) => {
      for (const l of listeners.current) l(event);
    };
    const connect = () => {
      const url = new URL(`${API_BASE}/live`, window.location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      socket = new WebSocket(url);
      socket.onopen = () => {
        attempts = 0;
        setConnected(true);
        if (opened) emit({ type: 'resync' });
        opened = true;
      };
      socket.onmessage = (message) => {
        try {
          emit(JSON.parse(String(message.data)) as PortalLiveMessage);
        } catch {
          // Not JSON: ignore.
        }
      };
      socket.onclose = () => {
        setConnected(false);
        if (stopped) return;
        const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempts++);
        timer = window.setTimeout(connect, delay);
      };
    };
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      socket?.close();
      setConnected(false);
    };
  }, [enabled]);

  const value: Live = {
    connected,
    subscribe: (listener) => {
      listeners.current.add(listener);
      return () => listeners.current.delete(listener);
    },
  };
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLiveConnected(): boolean {
  return useContext(LiveContext)?.connected ?? false;
}

/** Calls `listener` for every live event while the component is mounted. */
export function useLive(listener: Listener): void {
  const live = useContext(LiveContext);
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => live?.subscribe((event) => ref.current(event)), [live]);
}
