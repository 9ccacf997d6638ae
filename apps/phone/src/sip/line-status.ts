// A line's connection status as the user sees it (top left of the Home screen): Not Connected,
// Connecting or Connected (registered with the PBX). A string enum with one guarded move.
//
//   NotConnected ──start──▶ Connecting ──200 to REGISTER──▶ Connected
//        ▲                    │   ▲                            │
//        └──failure / stop────┘   └──socket lost, refresh fails┘
export enum LineStatus {
  NotConnected = 'not-connected',
  Connecting = 'connecting',
  Connected = 'connected',
}

const ALLOWED: Record<LineStatus, readonly LineStatus[]> = {
  [LineStatus.NotConnected]: [LineStatus.Connecting],
  [LineStatus.Connecting]: [LineStatus.Connected, LineStatus.NotConnected],
  [LineStatus.Connected]: [LineStatus.Connecting, LineStatus.NotConnected],
};

/** Throws on a move the diagram above does not have; staying put is allowed (and a no-op). */
export function nextLineStatus(from: LineStatus, to: LineStatus): LineStatus {
  if (from === to || ALLOWED[from].includes(to)) return to;
  throw new Error(`line status: illegal move ${from} → ${to}`);
}

/** What the provisioning API is told about a line (POST /provisioning/lines). */
export type LineReportState = 'registered' | 'unregistered' | 'failed';
