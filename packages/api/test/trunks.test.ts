// SIP trunks over the API (docs/trunks.md): CRUD with a write-only password, outbound routes,
// DIDs that must name an extension, the external-call policy (off by default), every bad field
// reported, organisations isolated, the audit log without secrets, OpenAPI schemas.
import { describe, expect, it } from 'vitest';
import { BACKENDS, call, expectError, signUp, useApi } from './harness.ts';

describe.each(BACKENDS)('trunks API on %s', (backend) => {
  const h = useApi(backend);

  it('creates, reads, changes and deletes a trunk; the password never comes back', async () => {
    const s = await signUp(h);
    const created = await call(h, s, 'POST', '/api/v1/trunks', {
      name: 'Carrier',
      host: 'sip.carrier.example',
      authUsername: 'acct-1',
      password: 'trunk-secret-1',
      callerId: '+442079460000',
      register: true,
    });
    expect(created.status, created.raw).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Carrier',
      host: 'sip.carrier.example',
      port: 5060,
      transport: 'udp',
      hasPassword: true,
      register: true,
      codecs: ['PCMU', 'PCMA'],
      enabled: true,
      registration: null,
    });
    expect(created.raw).not.toContain('trunk-secret-1');
    const id = created.body.id as string;
    expect(await h.repos.trunks.revealPassword(s.tenantId, id)).toBe('trunk-secret-1');

    const list = await call(h, s, 'GET', '/api/v1/trunks');
    expect(list.body).toMatchObject({ total: 1, items: [{ id }] });
    const patched = await call(h, s, 'PATCH', `/api/v1/trunks/${id}`, { port: 5080, password: null });
    expect(patched.body).toMatchObject({ port: 5080, hasPassword: false });
    const audit = await call(h, s, 'GET', '/api/v1/audit?targetType=trunk');
    expect(audit.raw).not.toContain('trunk-secret-1');
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['trunk.create', 'trunk.update']),
    );

    // Another organisation sees nothing of it.
    const other = await signUp(h);
    expectError(await call(h, other, 'GET', `/api/v1/trunks/${id}`), 404, 'not_found');
    expect((await call(h, other, 'GET', '/api/v1/trunks')).body.total).toBe(0);

    expect((await call(h, s, 'DELETE', `/api/v1/trunks/${id}`)).status).toBe(204);
    expectError(await call(h, s, 'GET', `/api/v1/trunks/${id}`), 404, 'not_found');
  });

  it('reports every bad field of a trunk', async () => {
    const s = await signUp(h);
    expectError(
      await call(h, s, 'POST', '/api/v1/trunks', {
        name: '',
        host: 'bad host!',
        port: 0,
        transport: 'sctp',
        callerId: 'abc',
        codecs: ['G729'],
        surprise: true,
      }),
      400,
      'validation_failed',
      ['name', 'host', 'port', 'transport', 'callerId', 'codecs[0]', 'surprise'],
    );
    expectError(await call(h, s, 'POST', '/api/v1/trunks', {}), 400, 'validation_failed', ['name', 'host']);
    const t = await call(h, s, 'POST', '/api/v1/trunks', { name: 'A', host: '192.0.2.1' });
    expectError(
      await call(h, s, 'POST', '/api/v1/trunks', { name: 'A', host: '192.0.2.2' }),
      409,
      'conflict',
    );
    expectError(
      await call(h, s, 'PATCH', `/api/v1/trunks/${t.body.id}`, { inboundAddresses: ['300.0.0.1'] }),
      400,
      'validation_failed',
      ['inboundAddresses[0]'],
    );
  });

  it('outbound routes, DIDs and the external-call policy', async () => {
    const s = await signUp(h);
    const pbx = (await call(h, s, 'GET', '/api/v1/providers')).body.items.find(
      (p: { builtIn: boolean }) => p.builtIn,
    ).id;
    const account = await call(h, s, 'POST', `/api/v1/providers/${pbx}/accounts`, {
      username: '1001',
      password: 'pw-1001-secret',
    });
    const trunk = (
      await call(h, s, 'POST', '/api/v1/trunks', { name: 'Carrier', host: 'sip.carrier.example' })
    ).body;

    const route = await call(h, s, 'POST', '/api/v1/trunks/outbound-routes', {
      trunkId: trunk.id,
      pattern: '0X.',
      strip: 1,
      prepend: '+44',
    });
    expect(route.status, route.raw).toBe(201);
    expect(route.body).toMatchObject({ pattern: '0X.', strip: 1, prepend: '+44' });
    expectError(
      await call(h, s, 'POST', '/api/v1/trunks/outbound-routes', {
        trunkId: trunk.id,
        pattern: 'hello',
        prepend: 'x',
      }),
      400,
      'validation_failed',
      ['pattern', 'prepend'],
    );
    expectError(
      await call(h, s, 'POST', '/api/v1/trunks/outbound-routes', {
        trunkId: '00000000-0000-4000-8000-000000000000',
        pattern: '9X.',
      }),
      400,
      'validation_failed',
      ['trunkId'],
    );
    expect((await call(h, s, 'GET', '/api/v1/trunks/outbound-routes')).body.total).toBe(1);

    const did = await call(h, s, 'POST', '/api/v1/trunks/dids', {
      number: '+442079460001',
      extension: '1001',
    });
    expect(did.status, did.raw).toBe(201);
    expectError(
      await call(h, s, 'POST', '/api/v1/trunks/dids', { number: '+442079460002', extension: '9999' }),
      400,
      'validation_failed',
      ['extension'],
    );
    expectError(
      await call(h, s, 'POST', '/api/v1/trunks/dids', { number: 'call me', extension: '1001' }),
      400,
      'validation_failed',
      ['number'],
    );
    expectError(
      await call(h, s, 'POST', '/api/v1/trunks/dids', { number: '+442079460001', extension: '1001' }),
      409,
      'conflict',
    );
    expect((await call(h, s, 'DELETE', '/api/v1/trunks/dids/+442079460001')).status).toBe(204);

    // Forwarding to an external number: only once the organisation allows external calls.
    const forward = { forwardAlways: '02079460999' };
    expectError(
      await call(h, s, 'PATCH', `/api/v1/accounts/${account.body.id}/call-settings`, forward),
      400,
      'validation_failed',
      ['forwardAlways'],
    );
    expect((await call(h, s, 'GET', '/api/v1/trunks/policy')).body).toEqual({
      externalCalls: false,
      allowedExtensions: null,
    });
    const policy = await call(h, s, 'PATCH', '/api/v1/trunks/policy', {
      externalCalls: true,
      allowedExtensions: ['1001'],
    });
    expect(policy.body).toEqual({ externalCalls: true, allowedExtensions: ['1001'] });
    const forwarded = await call(h, s, 'PATCH', `/api/v1/accounts/${account.body.id}/call-settings`, forward);
    expect(forwarded.status, forwarded.raw).toBe(200);
    expect(forwarded.body.forwardAlways).toBe('02079460999');
    expectError(
      await call(h, s, 'PATCH', '/api/v1/trunks/policy', { allowedExtensions: ['no spaces'] }),
      400,
      'validation_failed',
    );

    // Deleting the trunk deletes its routes.
    await call(h, s, 'DELETE', `/api/v1/trunks/${trunk.id}`);
    expect((await call(h, s, 'GET', '/api/v1/trunks/outbound-routes')).body.total).toBe(0);
  });

  it('is described in the OpenAPI document without a readable password', async () => {
    const doc = (await call(h, undefined, 'GET', '/api/v1/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/trunks',
        '/api/v1/trunks/{id}',
        '/api/v1/trunks/dids',
        '/api/v1/trunks/policy',
      ]),
    );
    const props =
      doc.paths['/api/v1/trunks'].get.responses['200'].content['application/json'].schema.properties.items
        .items.properties;
    expect(props.password).toBeUndefined();
    expect(props.hasPassword).toBeDefined();
  });
});
