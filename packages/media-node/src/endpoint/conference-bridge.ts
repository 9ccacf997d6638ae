import { AudioMixer } from '@switchboard/media';
import type { AppEndpoint } from './app-endpoint.ts';
import type { BridgeMemberState } from './endpoint-types.ts';

/**
 * A conference bridge: every 20 ms each member hears the sum of the others (N-1, so nobody
 * hears their own echo), saturated to 16 bits. A muted member is not mixed in but still hears
 * the others; a held member is neither mixed in nor given the mix (it hears what is played to
 * it, or silence). Members live on the bridge's thread.
 */
export class ConferenceBridge {
  readonly id: string;
  readonly #members = new Set<AppEndpoint>();
  readonly #mixer = new AudioMixer(160);

  constructor(id: string) {
    this.id = id;
  }

  get size(): number {
    return this.#members.size;
  }

  join(endpoint: AppEndpoint, state: BridgeMemberState): void {
    if (endpoint.bridgeId !== undefined && endpoint.bridgeId !== this.id)
      throw new Error(`endpoint ${endpoint.id} is in bridge ${endpoint.bridgeId}`);
    endpoint.bridgeId = this.id;
    endpoint.member = { ...state };
    this.#members.add(endpoint);
    this.#mixer.add(endpoint.id);
  }

  update(endpoint: AppEndpoint, state: BridgeMemberState): void {
    if (!this.#members.has(endpoint)) throw new Error(`endpoint ${endpoint.id} is not in bridge ${this.id}`);
    endpoint.member = { ...endpoint.member, ...state };
  }

  leave(endpoint: AppEndpoint): void {
    if (!this.#members.delete(endpoint)) return;
    this.#mixer.remove(endpoint.id);
    endpoint.bridgeId = undefined;
    endpoint.member = {};
    endpoint.mixed = undefined;
  }

  /** Mixes this frame (after every member's `takeInput`). */
  mix(): void {
    for (const m of this.#members) if (!m.member.muted && !m.member.held) this.#mixer.push(m.id, m.heard);
    const out = this.#mixer.mix();
    for (const m of this.#members) m.mixed = out.get(m.id);
  }

  close(): void {
    for (const m of [...this.#members]) this.leave(m);
  }
}
