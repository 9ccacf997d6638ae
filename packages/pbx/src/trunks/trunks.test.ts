import { describe, expect, it } from 'vitest';
import { parseMessage, type SipRequest } from '@switchboard/sip';
import type { Tenant } from '../store/directory.ts';
import { MemoryTrunkDirectory, type PbxTrunk } from './trunk.ts';
import { inRange, registrationUser, Trunks } from './trunks.ts';

const acme: Tenant = { id: 't-acme', name: 'Acme', domain: 'acme.test', isDefault: true };
const other: Tenant = { id: 't-other', name: 'Other', domain: 'other.test', isDefault: false };

const trunk = (over: Partial<PbxTrunk & { password: string }> = {}): PbxTrunk & { password?: string } => ({
  id: '0a1b2c3d-4e5f-4a6b-8c7d-000000000001',
  tenantId: acme.id,
  name: 'provider',
  host: '192.0.2.10',
  port: 5060,
  transport: 'udp',
  outboundProxy: null,
  authUsername: 'acct',
  password: 'secret',
  fromUser: null,
  fromDomain: 'provider.example',
  callerId: '+442079460000',
  register: false,
  codecs: ['PCMA'],
  inboundAddresses: [],
  enabled: true,
  ...over,
});

function setup(): { dir: MemoryTrunkDirectory; trunks: Trunks } {
  const dir = new MemoryTrunkDirectory();
  dir.trunks.push(trunk());
  dir.routeList.push({ tenantId: acme.id, trunkId: trunk().id, pattern: '0X.', strip: 1, prepend: '+44' });
  dir.dids.set(`${acme.id}\u0000+442079460001`, { extension: '1001', trunkId: null });
  const tenants = new Map([acme, other].map((t) => [t.id, t]));
  const trunks = new Trunks({
    directory: dir,
    tenant: async (id) => tenants.get(id),
    randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
    now: () => 0,
  });
  return { dir, trunks };
}

const alice = { tenantId: acme.id, username: '1001', displayName: 'Alice', enabled: true };

function invite(ruri: string, to: string, from = '"Carol" <sip:+447700900123@provider.example>'): SipRequest {
  const text =
    `INVITE ${ruri} SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1\r\nFrom: ${from};tag=a\r\n` +
    `To: ${to}\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`;
  const parsed = parseMessage(new TextEncoder().encode(text));
  if (parsed.kind !== 'message') throw new Error(parsed.kind);
  return parsed.message as SipRequest;
}

const source = (host: string) => ({
  transport: 'udp' as const,
  remote: { host, port: 5060 },
  connectionId: undefined,
});

describe('trunks', () => {
  it('sends a routed number out with the trunk caller ID only when the tenant allows it', async () => {
    const { dir, trunks } = setup();
    expect(await trunks.external(acme, alice, '1001', '1002')).toBeUndefined();
    expect(await trunks.external(acme, alice, '1001', '02079460999')).toMatchObject({
      ok: false,
      status: 403,
    });
    dir.policies.set(acme.id, { externalCalls: true, allowedExtensions: ['1002'] });
    expect(await trunks.external(acme, alice, '1001', '02079460999')).toMatchObject({
      ok: false,
      status: 403,
    });
    dir.policies.set(acme.id, { externalCalls: true, allowedExtensions: null });
    const out = await trunks.external(acme, alice, '1001', '020 7946 0999');
    expect(out?.ok).toBe(true);
    if (!out?.ok) return;
    expect(out.party.username).toBe('+442079460999');
    expect(out.target).toMatchObject({
      uri: 'sip:+442079460999@192.0.2.10',
      from: '"Alice" <sip:+442079460000@provider.example>',
      to: '<sip:+442079460999@provider.example>',
      destination: { protocol: 'UDP', host: '192.0.2.10', port: 5060 },
      codecs: ['PCMA'],
    });
    expect(out.target.authenticator).toBeDefined();
    // Another tenant has no route: its numbers are not external.
    expect(await trunks.external(other, alice, '1001', '02079460999')).toBeUndefined();
  });

  it('accepts inbound calls only from the trunk and only for DIDs (Request-URI or To)', async () => {
    const { trunks } = setup();
    const ok = await trunks.inbound(
      invite('sip:+442079460001@pbx', '<sip:+442079460001@pbx>'),
      source('192.0.2.10'),
    );
    expect(ok).toMatchObject({ ok: true, extension: '1001', did: '+442079460001' });
    if (ok?.ok) expect(ok.caller).toMatchObject({ username: '+447700900123', displayName: 'Carol' });
    // To our registered Contact: the DID is in To (and matched with or without +).
    const contact = `sip:${registrationUser(trunk())}@pbx`;
    expect(
      await trunks.inbound(invite(contact, '<sip:442079460001@provider.example>'), source('192.0.2.10')),
    ).toMatchObject({ ok: true, extension: '1001' });
    expect(
      await trunks.inbound(invite('sip:+449999@pbx', '<sip:+449999@pbx>'), source('192.0.2.10')),
    ).toMatchObject({
      ok: false,
      status: 404,
    });
    // Anyone else: not a trunk call at all (normal admission: digest, 403/404).
    expect(
      await trunks.inbound(
        invite('sip:+442079460001@pbx', '<sip:+442079460001@pbx>'),
        source('198.51.100.7'),
      ),
    ).toBeUndefined();
  });

  it('writes the INVITE for a trunk with an outbound proxy, a fixed From user and TCP', async () => {
    const { trunks } = setup();
    const target = await trunks.target(
      trunk({ transport: 'tcp', port: 5080, outboundProxy: 'proxy.provider.example:5070', fromUser: 'acct' }),
      '+15550100',
      alice,
    );
    expect(target).toMatchObject({
      uri: 'sip:+15550100@192.0.2.10:5080;transport=tcp',
      from: '"Alice" <sip:acct@provider.example>',
      destination: { protocol: 'TCP', host: 'proxy.provider.example', port: 5070 },
    });
    expect(target.headers).toEqual([
      ['Route', '<sip:proxy.provider.example:5070;transport=tcp;lr>'],
      // The presented number travels in P-Asserted-Identity (RFC 3325) when From is the account.
      ['P-Asserted-Identity', '<sip:+442079460000@provider.example>'],
    ]);
    // No credentials: no authenticator (the provider trusts our address).
    expect((await trunks.target(trunk({ authUsername: null }), '1', alice)).authenticator).toBeUndefined();
  });

  it('reuses the trunk list for cacheMs and resolved hosts for resolveCacheMs, each on its own; invalidate forgets both', async () => {
    let reads = 0;
    const dir = new (class extends MemoryTrunkDirectory {
      override enabledTrunks(): Promise<readonly PbxTrunk[]> {
        reads++;
        return super.enabledTrunks();
      }
    })();
    dir.trunks.push(trunk({ host: 'sip.provider.example' }));
    const resolved: string[] = [];
    let now = 0;
    const trunks = new Trunks({
      directory: dir,
      tenant: async () => acme,
      resolve: async (host) => (resolved.push(host), ['192.0.2.10']),
      randomBytes: (n) => new Uint8Array(n),
      now: () => now,
      cacheMs: 300_000,
      resolveCacheMs: 60_000,
    });
    const call = () => trunks.inbound(invite('sip:+449999@pbx', '<sip:+449999@pbx>'), source('192.0.2.10'));
    const seen = async () => ((await call()) === undefined ? 'stranger' : 'trunk');
    expect(await seen()).toBe('trunk');
    now = 60_000;
    expect(await seen()).toBe('trunk');
    expect([reads, resolved.length]).toEqual([1, 1]);
    // The host is resolved again after a minute, while the list is still the one read at first.
    now = 60_001;
    expect(await seen()).toBe('trunk');
    expect([reads, resolved.length]).toEqual([1, 2]);
    // A change the Trunks was not told of shows after cacheMs only…
    dir.trunks.length = 0;
    now = 300_000;
    expect(await seen()).toBe('trunk');
    now = 300_001;
    expect(await seen()).toBe('stranger');
    expect(reads).toBe(2);
    // …one it was told of (invalidate) at once, with the host resolved anew.
    dir.trunks.push(trunk({ host: 'sip.provider.example' }));
    const resolves = resolved.length;
    trunks.invalidate();
    expect(await seen()).toBe('trunk');
    expect([reads, resolved.length]).toEqual([3, resolves + 1]);
  });

  it('matches IPv4 ranges', () => {
    expect(inRange('192.0.2.77', '192.0.2.0/24')).toBe(true);
    expect(inRange('192.0.3.1', '192.0.2.0/24')).toBe(false);
    expect(inRange('10.1.2.3', '10.1.2.3')).toBe(true);
    expect(inRange('10.1.2.3', 'nonsense')).toBe(false);
  });
});
