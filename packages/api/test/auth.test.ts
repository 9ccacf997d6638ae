// Accounts and organisations: registration, confirmation, sessions, tokens, passwords, limits.
import { describe, expect, it } from 'vitest';
import { BACKENDS, call, expectError, lastMailTo, signUp, uniqueEmail, useApi } from './harness.ts';

const PASSWORD = 'correct horse battery';

describe.each(BACKENDS)('auth on %s', (backend) => {
  const h = useApi(backend);

  it('makes the first organisation the default tenant and gives later ones their own SIP domain', async () => {
    const first = await signUp(h, { organisationName: 'Acme Ltd', website: 'https://acme.example' });
    const me = await call(h, first, 'GET', '/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      email: first.email,
      firstName: 'Ada',
      lastName: 'Lovelace',
      role: 'owner',
      newsSubscription: false,
      organisation: {
        name: 'Acme Ltd',
        website: 'https://acme.example',
        sipDomain: 'switchboard.local',
        isDefault: true,
      },
    });
    const second = await signUp(h, { organisationName: 'Beta & Co' });
    const me2 = await call(h, second, 'GET', '/api/v1/auth/me');
    expect(me2.body.organisation).toMatchObject({
      name: 'Beta & Co',
      sipDomain: 'beta-co.switchboard.local',
      isDefault: false,
    });
    const third = await signUp(h, { organisationName: 'Beta & Co' });
    expect((await call(h, third, 'GET', '/api/v1/auth/me')).body.organisation.sipDomain).toBe(
      'beta-co-2.switchboard.local',
    );
    // Every organisation has the built-in PBX provider, and sees only its own.
    const providers = await call(h, second, 'GET', '/api/v1/providers');
    expect(providers.body.total).toBe(1);
    expect(providers.body.items[0]).toMatchObject({ builtIn: true, host: 'pbx.example.test', port: 5060 });
  });

  it('lists every bad registration field, and refuses a taken e-mail address', async () => {
    const r = await call(h, undefined, 'POST', '/api/v1/auth/register', {
      firstName: '',
      email: 'not-an-address',
      password: 'short',
      passwordConfirmation: 'short',
      newsSubscription: 'yes',
    });
    expectError(r, 400, 'validation_failed', [
      'firstName',
      'lastName',
      'email',
      'password',
      'privacyAccepted',
      'newsSubscription',
    ]);
    const mismatch = await call(h, undefined, 'POST', '/api/v1/auth/register', {
      firstName: 'A',
      lastName: 'B',
      email: uniqueEmail(),
      password: PASSWORD,
      passwordConfirmation: `${PASSWORD}!`,
      privacyAccepted: false,
    });
    expectError(mismatch, 400, 'validation_failed', ['passwordConfirmation', 'privacyAccepted']);
    const s = await signUp(h);
    const taken = await call(h, undefined, 'POST', '/api/v1/auth/register', {
      firstName: 'A',
      lastName: 'B',
      email: s.email.toUpperCase(),
      password: PASSWORD,
      passwordConfirmation: PASSWORD,
      privacyAccepted: true,
    });
    expectError(taken, 409, 'conflict', ['email']);
  });

  it('requires the e-mail confirmation before the first login; a link works once', async () => {
    const email = uniqueEmail();
    const reg = await call(h, undefined, 'POST', '/api/v1/auth/register', {
      firstName: 'Grace',
      lastName: 'Hopper',
      email,
      password: PASSWORD,
      passwordConfirmation: PASSWORD,
      privacyAccepted: true,
      newsSubscription: true,
    });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ email, confirmationSent: true });
    expectError(
      await call(h, undefined, 'POST', '/api/v1/auth/login', { email, password: PASSWORD }),
      403,
      'email_not_confirmed',
    );
    const mail = await lastMailTo(h, email);
    expect(mail.subject).toMatch(/confirm/i);
    expect(mail.html).toContain('Confirm my account');
    const link = /https:\/\/portal\.example\.test\/portal\/confirm-email\?token=(\S+)/.exec(mail.text);
    expect(link).not.toBeNull();
    expect((await call(h, undefined, 'POST', '/api/v1/auth/confirm-email', { token: link![1] })).status).toBe(
      204,
    );
    expectError(
      await call(h, undefined, 'POST', '/api/v1/auth/confirm-email', { token: link![1] }),
      400,
      'link_invalid',
      ['token'],
    );
    expectError(
      await call(h, undefined, 'POST', '/api/v1/auth/confirm-email', { token: 'nope' }),
      400,
      'link_invalid',
    );
    const login = await call(h, undefined, 'POST', '/api/v1/auth/login', { email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.newsSubscription).toBe(true);
  });

  it('resends the confirmation link without telling whether the address exists', async () => {
    const email = uniqueEmail();
    await call(h, undefined, 'POST', '/api/v1/auth/register', {
      firstName: 'A',
      lastName: 'B',
      email,
      password: PASSWORD,
      passwordConfirmation: PASSWORD,
      privacyAccepted: true,
    });
    const before = (await h.repos.outbox.list({ tenantId: null, to: email })).total;
    expect((await call(h, undefined, 'POST', '/api/v1/auth/confirm-email/resend', { email })).status).toBe(
      202,
    );
    expect((await h.repos.outbox.list({ tenantId: null, to: email })).total).toBe(before + 1);
    expect(
      (
        await call(h, undefined, 'POST', '/api/v1/auth/confirm-email/resend', {
          email: uniqueEmail('nobody'),
        })
      ).status,
    ).toBe(202);
  });

  it('sets an HTTP-only SameSite=Lax session cookie (not Secure over plain http); logout ends the session', async () => {
    const s = await signUp(h);
    const login = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: s.email, password: PASSWORD },
    });
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/^sb_session=[A-Za-z0-9_-]{40,};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);
    expect((await call(h, s, 'POST', '/api/v1/auth/logout')).status).toBe(204);
    expectError(await call(h, s, 'GET', '/api/v1/auth/me'), 401, 'unauthenticated');
    expectError(await call(h, undefined, 'GET', '/api/v1/providers'), 401, 'unauthenticated');
  });

  it('ends a session after 14 days without use; use slides the expiry', async () => {
    const s = await signUp(h);
    h.clock.now += 10 * 24 * 3600_000;
    expect((await call(h, s, 'GET', '/api/v1/auth/me')).status).toBe(200);
    h.clock.now += 10 * 24 * 3600_000; // 20 days after sign-in, 10 after the last use
    expect((await call(h, s, 'GET', '/api/v1/auth/me')).status).toBe(200);
    h.clock.now += 15 * 24 * 3600_000;
    expectError(await call(h, s, 'GET', '/api/v1/auth/me'), 401, 'unauthenticated');
    await h.api.sweepPresence(); // also drops expired sessions
    const { rows } = await h.db.sql.query(
      'SELECT count(*)::int AS n FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1',
      [s.email],
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('limits confirmation and reset e-mails per address', async () => {
    const s = await signUp(h);
    for (let i = 0; i < 5; i++) {
      expect(
        (await call(h, undefined, 'POST', '/api/v1/auth/password-reset', { email: s.email })).status,
      ).toBe(202);
    }
    expectError(
      await call(h, undefined, 'POST', '/api/v1/auth/password-reset', { email: s.email }),
      429,
      'rate_limited',
    );
    h.clock.now += 16 * 60_000;
    expect((await call(h, undefined, 'POST', '/api/v1/auth/password-reset', { email: s.email })).status).toBe(
      202,
    );
  });

  it('rejects a wrong password, and rate-limits failures per account with a clear error', async () => {
    const s = await signUp(h);
    expectError(
      await call(h, undefined, 'POST', '/api/v1/auth/login', { email: s.email, password: 'wrong password' }),
      401,
      'invalid_credentials',
    );
    expectError(
      await call(h, undefined, 'POST', '/api/v1/auth/login', {
        email: uniqueEmail('ghost'),
        password: PASSWORD,
      }),
      401,
      'invalid_credentials',
    );
    for (let i = 0; i < 4; i++)
      await call(h, undefined, 'POST', '/api/v1/auth/login', { email: s.email, password: 'wrong password' });
    const blocked = await call(h, undefined, 'POST', '/api/v1/auth/login', {
      email: s.email,
      password: PASSWORD,
    });
    expectError(blocked, 429, 'rate_limited');
    expect(blocked.body.error.message).toMatch(/this account/);
    expect(blocked.body.error.retryAfterSeconds).toBeGreaterThan(0);
    expect(blocked.headers['retry-after']).toBe(String(blocked.body.error.retryAfterSeconds));
    // After the window the right password works again.
    h.clock.now += 16 * 60_000;
    expect(
      (await call(h, undefined, 'POST', '/api/v1/auth/login', { email: s.email, password: PASSWORD })).status,
    ).toBe(200);
  });

  it('rate-limits failures per client address across accounts', async () => {
    const s = await signUp(h);
    const from = { headers: { 'x-test': '1' } };
    for (let i = 0; i < 20; i++) {
      await call(h, from, 'POST', '/api/v1/auth/login', {
        email: uniqueEmail('guess'),
        password: 'wrong password',
      });
    }
    const blocked = await call(h, from, 'POST', '/api/v1/auth/login', { email: s.email, password: PASSWORD });
    expectError(blocked, 429, 'rate_limited');
    expect(blocked.body.error.message).toMatch(/your address/);
    h.clock.now += 16 * 60_000;
  });

  it('creates, lists, uses and revokes API tokens; only a hash is stored', async () => {
    const s = await signUp(h);
    const created = await call(h, s, 'POST', '/api/v1/auth/tokens', { name: 'CI script' });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^sbt_/);
    expect(created.body.prefix).toBe(token.slice(0, 10));
    const { rows } = await h.db.sql.query('SELECT token_hash FROM api_tokens WHERE id = $1', [
      created.body.id,
    ]);
    expect(rows[0]!.token_hash).not.toContain(token.slice(4));
    const bearer = { headers: { authorization: `Bearer ${token}` } };
    const me = await call(h, bearer, 'GET', '/api/v1/auth/me');
    expect(me.body.email).toBe(s.email);
    const list = await call(h, s, 'GET', '/api/v1/auth/tokens');
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).toMatchObject({ id: created.body.id, name: 'CI script' });
    expect(list.body.items[0].lastUsedAt).not.toBeNull();
    expect(list.body.items[0].token).toBeUndefined();
    expect((await call(h, s, 'DELETE', `/api/v1/auth/tokens/${created.body.id}`)).status).toBe(204);
    expectError(await call(h, bearer, 'GET', '/api/v1/auth/me'), 401, 'unauthenticated');
    expectError(await call(h, s, 'DELETE', `/api/v1/auth/tokens/${created.body.id}`), 404, 'not_found');
    expectError(await call(h, s, 'POST', '/api/v1/auth/tokens', {}), 400, 'validation_failed', ['name']);
  });

  it('resets a forgotten password by e-mail: the link works once and ends every session', async () => {
    const s = await signUp(h);
    expect((await call(h, undefined, 'POST', '/api/v1/auth/password-reset', { email: s.email })).status).toBe(
      202,
    );
    const mail = await lastMailTo(h, s.email);
    expect(mail.subject).toMatch(/reset/i);
    const token = /reset-password\?token=(\S+)/.exec(mail.text)![1]!;
    const mismatch = await call(h, undefined, 'POST', '/api/v1/auth/password-reset/confirm', {
      token,
      password: 'a brand new secret',
      passwordConfirmation: 'something else entirely',
    });
    expectError(mismatch, 400, 'validation_failed', ['passwordConfirmation']);
    const ok = await call(h, undefined, 'POST', '/api/v1/auth/password-reset/confirm', {
      token,
      password: 'a brand new secret',
      passwordConfirmation: 'a brand new secret',
    });
    expect(ok.status).toBe(204);
    expectError(await call(h, s, 'GET', '/api/v1/auth/me'), 401, 'unauthenticated');
    expectError(
      await call(h, undefined, 'POST', '/api/v1/auth/login', { email: s.email, password: PASSWORD }),
      401,
      'invalid_credentials',
    );
    expect(
      (
        await call(h, undefined, 'POST', '/api/v1/auth/login', {
          email: s.email,
          password: 'a brand new secret',
        })
      ).status,
    ).toBe(200);
    const again = await call(h, undefined, 'POST', '/api/v1/auth/password-reset/confirm', {
      token,
      password: 'yet another secret',
      passwordConfirmation: 'yet another secret',
    });
    expectError(again, 400, 'link_invalid');
    // An unknown address gets the same answer and no mail.
    const nobody = uniqueEmail('nobody');
    expect((await call(h, undefined, 'POST', '/api/v1/auth/password-reset', { email: nobody })).status).toBe(
      202,
    );
    expect((await h.repos.outbox.list({ tenantId: null, to: nobody })).total).toBe(0);
  });

  it('expires a reset link after an hour', async () => {
    const s = await signUp(h);
    await call(h, undefined, 'POST', '/api/v1/auth/password-reset', { email: s.email });
    const token = /reset-password\?token=(\S+)/.exec((await lastMailTo(h, s.email)).text)![1]!;
    h.clock.now += 61 * 60_000;
    const late = await call(h, undefined, 'POST', '/api/v1/auth/password-reset/confirm', {
      token,
      password: 'a brand new secret',
      passwordConfirmation: 'a brand new secret',
    });
    expectError(late, 400, 'link_invalid');
    expect(late.body.error.message).toMatch(/expired/);
  });

  it('changes the password (current one checked; other sessions end) and the profile', async () => {
    const s = await signUp(h);
    const other = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: s.email, password: PASSWORD },
    });
    const otherSession = { headers: { cookie: String(other.headers['set-cookie']).split(';')[0]! } };
    const wrong = await call(h, s, 'POST', '/api/v1/auth/password', {
      currentPassword: 'not it at all',
      newPassword: 'short',
      newPasswordConfirmation: 'x',
    });
    expectError(wrong, 400, 'validation_failed', ['newPassword']);
    const wrong2 = await call(h, s, 'POST', '/api/v1/auth/password', {
      currentPassword: 'not it at all',
      newPassword: 'another good secret',
      newPasswordConfirmation: 'different',
    });
    expectError(wrong2, 400, 'validation_failed', ['currentPassword', 'newPasswordConfirmation']);
    const ok = await call(h, s, 'POST', '/api/v1/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'another good secret',
      newPasswordConfirmation: 'another good secret',
    });
    expect(ok.status).toBe(204);
    expect((await call(h, s, 'GET', '/api/v1/auth/me')).status).toBe(200);
    expectError(await call(h, otherSession, 'GET', '/api/v1/auth/me'), 401, 'unauthenticated');
    const patched = await call(h, s, 'PATCH', '/api/v1/auth/me', {
      firstName: 'Augusta',
      organisationName: 'Analytical Engines',
      website: null,
    });
    expect(patched.body).toMatchObject({
      firstName: 'Augusta',
      organisation: { name: 'Analytical Engines', website: null },
    });
    expectError(
      await call(h, s, 'PATCH', '/api/v1/auth/me', { firstName: '', organisationName: '', role: 'admin' }),
      400,
      'validation_failed',
      ['firstName', 'organisationName', 'role'],
    );
    const audit = await call(h, s, 'GET', '/api/v1/audit?action=user.password.change');
    expect(audit.body.total).toBe(1);
    expect(JSON.stringify(audit.body)).not.toContain('another good secret');
  });
});
