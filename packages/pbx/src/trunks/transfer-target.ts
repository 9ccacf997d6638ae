// Who a transfer goes to: an extension of the tenant, or — through a trunk, when the tenant
// allows the transferor to call out — an external number. Refusals carry the status a REFER's
// NOTIFY reports (404 no such number, 403 not allowed).
import type { FeatureContext } from '../features/feature-context.ts';
import { originate, type OriginateRequest, type Origination } from '../features/originate.ts';
import type { Extension, Tenant } from '../store/directory.ts';
import { originateTrunk } from './originate-trunk.ts';
import type { ExternalTarget } from './trunks.ts';
import type { TrunkTarget } from './trunk-target.ts';

/** What the features need of the trunks (Trunks implements it). */
export interface ExternalDialer {
  external(
    tenant: Tenant,
    caller: Extension,
    permittedBy: string,
    dialled: string,
  ): Promise<ExternalTarget | undefined>;
}

export type TransferTarget =
  | { readonly ok: true; readonly party: Extension; readonly trunk?: TrunkTarget }
  | { readonly ok: false; readonly status: number };

export async function transferTarget(
  ctx: FeatureContext,
  tenant: Tenant,
  transferor: Extension,
  /** Who the target sees calling. */
  from: Extension,
  number: string,
): Promise<TransferTarget> {
  const extension = await ctx.directory.findExtension(tenant.id, number);
  if (extension) {
    const usable = extension.enabled && extension.username !== transferor.username;
    return usable ? { ok: true, party: extension } : { ok: false, status: 403 };
  }
  const external = await ctx.trunks?.external(tenant, from, transferor.username, number);
  if (!external) return { ok: false, status: 404 };
  if (!external.ok) return { ok: false, status: external.status };
  return { ok: true, party: external.party, trunk: external.target };
}

/** Calls the target: its devices, or the provider through the trunk. */
export function originateTarget(
  ctx: FeatureContext,
  target: Extract<TransferTarget, { ok: true }>,
  request: Omit<OriginateRequest, 'target'>,
): Origination {
  return target.trunk
    ? originateTrunk(ctx, request, target.trunk)
    : originate(ctx, { ...request, target: target.party });
}
