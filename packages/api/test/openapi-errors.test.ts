// The OpenAPI document and docs page, and the error envelope for what no route handles.
import { describe, expect, it } from 'vitest';
import { BACKENDS, call, expectError, signUp, useApi } from './harness.ts';

describe.each(BACKENDS)('OpenAPI and errors on %s', (backend) => {
  const h = useApi(backend);

  it('describes every endpoint in OpenAPI 3 at /api/v1/openapi.json, with a docs page', async () => {
    const r = await call(h, undefined, 'GET', '/api/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    const paths = Object.keys(r.body.paths);
    for (const p of [
      '/api/v1/auth/register',
      '/api/v1/auth/login',
      '/api/v1/auth/tokens',
      '/api/v1/providers',
      '/api/v1/providers/{id}',
      '/api/v1/providers/{id}/accounts',
      '/api/v1/providers/{id}/accounts/{accountId}',
      '/api/v1/contacts',
      '/api/v1/contacts/{id}/devices',
      '/api/v1/devices/{id}',
      '/api/v1/devices/{id}/move',
      '/api/v1/devices/{id}/activation',
      '/api/v1/devices/{id}/activation/send',
      '/api/v1/devices/{id}/activation/reset',
      '/api/v1/provisioning/activate',
      '/api/v1/provisioning/config',
      '/api/v1/provisioning/heartbeat',
      '/api/v1/provisioning/lines',
      '/api/v1/audit',
      '/api/v1/outbox',
    ]) {
      expect(paths).toContain(p);
    }
    const account = r.body.paths['/api/v1/providers/{id}/accounts'].post;
    const body = account.requestBody.content['application/json'].schema;
    expect(body.properties.password.writeOnly).toBe(true);
    expect(account.responses['201'].content['application/json'].schema.properties.password).toBeUndefined();
    // Public routes say so; the others take a session or an API token (devices: their token).
    expect(r.body.paths['/api/v1/auth/login'].post.security).toEqual([]);
    expect(r.body.paths['/api/v1/provisioning/activate'].post.security).toEqual([]);
    expect(r.body.paths['/api/v1/provisioning/config'].get.security).toEqual([{ deviceToken: [] }]);
    expect(r.body.security).toEqual([{ session: [] }, { apiToken: [] }]);
    const docs = await h.app.inject({ method: 'GET', url: '/api/v1/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toMatch(/swagger/i);
  });

  it('answers unknown routes, bad JSON and wrong content types with the error envelope', async () => {
    expectError(await call(h, undefined, 'GET', '/api/v1/nothing-here'), 404, 'not_found');
    const s = await signUp(h);
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: { ...s.headers, 'content-type': 'application/json' },
      payload: '{"firstName":',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('bad_request');
    const form = await h.app.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: { ...s.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'firstName=x',
    });
    expect(form.statusCode).toBe(415);
    expect(form.json().error.code).toBe('unsupported_media_type');
  });

  it('keeps the audit log of admin changes, filterable, newest first', async () => {
    const s = await signUp(h);
    await call(h, s, 'POST', '/api/v1/providers', { name: 'P1', host: 'p1.example' });
    const c = await call(h, s, 'POST', '/api/v1/contacts', {
      firstName: 'A',
      lastName: 'B',
      emails: [{ address: 'a@b.example', label: 'work' }],
    });
    await call(h, s, 'PATCH', `/api/v1/contacts/${c.body.id}`, { lastName: 'C' });
    const all = await call(h, s, 'GET', '/api/v1/audit');
    expect(all.body.items.slice(0, 3).map((e: { action: string }) => e.action)).toEqual([
      'contact.update',
      'contact.create',
      'provider.create',
    ]);
    expect(all.body.items[0]).toMatchObject({
      actor: s.email,
      targetType: 'contact',
      targetId: c.body.id,
      details: { changed: ['lastName'] },
    });
    const paged = await call(h, s, 'GET', '/api/v1/audit?limit=1&offset=1&targetType=contact');
    expect(paged.body).toMatchObject({ total: 2, items: [{ action: 'contact.create' }] });
    expect((await call(h, await signUp(h), 'GET', '/api/v1/audit?targetType=contact')).body.total).toBe(0);
    expectError(await call(h, s, 'GET', '/api/v1/audit?limit=0&offset=-1'), 400, 'validation_failed', [
      'limit',
      'offset',
    ]);
    expectError(await call(h, undefined, 'GET', '/api/v1/audit'), 401, 'unauthenticated');
  });
});
