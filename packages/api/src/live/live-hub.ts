// Fan-out of live messages: to every portal connection of a tenant, and to the connections of one
// device. In memory (one process); a shared implementation (Redis pub/sub) fits the same interface.
import type { DeviceLiveMessage, PortalLiveMessage } from '@switchboard/contracts';

export interface DeviceConnection {
  send(message: DeviceLiveMessage): void;
  /** Closes the connection (deactivated device). */
  close(code: number, reason: string): void;
}

export interface LiveHub {
  publishTenant(tenantId: string, message: PortalLiveMessage): void;
  subscribeTenant(tenantId: string, send: (message: PortalLiveMessage) => void): () => void;
  /** Whether any portal of the tenant listens (no listener: nothing worth computing). */
  hasTenantSubscribers(tenantId: string): boolean;
  publishDevice(deviceId: string, message: DeviceLiveMessage): void;
  subscribeDevice(deviceId: string, connection: DeviceConnection): () => void;
  /** Closes every connection of a device. */
  disconnectDevice(deviceId: string, code: number, reason: string): void;
  isDeviceConnected(deviceId: string): boolean;
  close(): void;
}

export class MemoryLiveHub implements LiveHub {
  private readonly tenants = new Map<string, Set<(m: PortalLiveMessage) => void>>();
  private readonly devices = new Map<string, Set<DeviceConnection>>();

  publishTenant(tenantId: string, message: PortalLiveMessage): void {
    for (const send of this.tenants.get(tenantId) ?? []) send(message);
  }

  subscribeTenant(tenantId: string, send: (message: PortalLiveMessage) => void): () => void {
    const set = this.tenants.get(tenantId) ?? new Set();
    set.add(send);
    this.tenants.set(tenantId, set);
    return () => {
      set.delete(send);
      if (set.size === 0) this.tenants.delete(tenantId);
    };
  }

  hasTenantSubscribers(tenantId: string): boolean {
    return (this.tenants.get(tenantId)?.size ?? 0) > 0;
  }

  publishDevice(deviceId: string, message: DeviceLiveMessage): void {
    for (const c of this.devices.get(deviceId) ?? []) c.send(message);
  }

  subscribeDevice(deviceId: string, connection: DeviceConnection): () => void {
    const set = this.devices.get(deviceId) ?? new Set();
    set.add(connection);
    this.devices.set(deviceId, set);
    return () => {
      set.delete(connection);
      if (set.size === 0) this.devices.delete(deviceId);
    };
  }

  disconnectDevice(deviceId: string, code: number, reason: string): void {
    const set = this.devices.get(deviceId);
    this.devices.delete(deviceId);
    for (const c of set ?? []) c.close(code, reason);
  }

  isDeviceConnected(deviceId: string): boolean {
    return (this.devices.get(deviceId)?.size ?? 0) > 0;
  }

  close(): void {
    this.tenants.clear();
    for (const id of [...this.devices.keys()]) this.disconnectDevice(id, 1001, 'server shutting down');
  }
}
