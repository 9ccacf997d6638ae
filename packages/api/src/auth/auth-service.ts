// Accounts and organisations: registration (with e-mail confirmation), sign in/out, password
// reset and change, profile. Sessions are random tokens in an HTTP-only cookie; only their
// SHA-256 is stored.
import type { Organisation as OrgRow, User } from '@switchboard/db';
import type { Me, RegisterRequest } from '@switchboard/contracts';
import type { ApiContext, Actor } from '../context.ts';
import { ApiError, assertFields } from '../errors/api-error.ts';
import { audit } from '../audit/audit.ts';
import { configChanged } from '../live/notify.ts';
import { confirmationMail, passwordResetMail } from '../mail/templates.ts';
import { SESSION_TTL_MS } from './authenticate.ts';
import { organisationFor } from './organisation.ts';
import { newToken, sha256 } from './secrets.ts';

const CONFIRM_TTL_MS = 48 * 3600 * 1000;
const RESET_TTL_MS = 3600 * 1000;

const minutes = (ms: number): number => Math.max(1, Math.ceil(ms / 60_000));

export function toMe(user: User, org: OrgRow): Me {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    role: user.role,
    newsSubscription: user.newsOptIn,
    organisation: org,
  };
}

export class AuthService {
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly ctx: ApiContext) {}

  private async dummyCheck(password: string): Promise<false> {
    this.dummyHash ??= this.ctx.hasher.hash('not a real password, only for timing');
    await this.ctx.hasher.verify(await this.dummyHash, password);
    return false;
  }

  /** Creates the user (unconfirmed) and its organisation, and e-mails the confirmation link. */
  async register(input: RegisterRequest, ip: string): Promise<{ user: User; confirmationSent: boolean }> {
    assertFields(
      input.password !== input.passwordConfirmation && {
        field: 'passwordConfirmation',
        message: 'does not match the password',
      },
      input.privacyAccepted !== true && {
        field: 'privacyAccepted',
        message: 'the privacy notice must be accepted',
      },
    );
    const { repos } = this.ctx;
    if (await repos.users.findByEmail(input.email)) {
      throw new ApiError('conflict', 'an account with this e-mail address exists', [
        { field: 'email', message: 'is already registered' },
      ]);
    }
    const passwordHash = await this.ctx.hasher.hash(input.password);
    const orgName = input.organisationName?.trim() || `${input.firstName.trim()} ${input.lastName.trim()}`;
    const website = input.website?.trim() || null;
    const tenantId = await organisationFor(repos, orgName, website, this.ctx.sipDomain, {
      reuseByName: false,
    });
    const user = await repos.users.create({
      tenantId,
      email: input.email,
      firstName: input.firstName,
      lastName: input.lastName,
      passwordHash,
      newsOptIn: input.newsSubscription === true,
    });
    await audit(this.ctx, { tenantId, label: user.email, ip, user }, 'user.register', {
      type: 'user',
      id: user.id,
    });
    try {
      await this.sendConfirmation(user);
      return { user, confirmationSent: true };
    } catch (err) {
      // The account exists; the link can be sent again (POST /auth/confirm-email/resend).
      this.ctx.log.warn({ err: String(err), userId: user.id }, 'confirmation e-mail failed');
      return { user, confirmationSent: false };
    }
  }

  private async sendConfirmation(user: User): Promise<void> {
    const token = newToken('');
    await this.ctx.repos.emailTokens.issue(
      user.id,
      'confirm_email',
      sha256(token),
      new Date(this.ctx.now() + CONFIRM_TTL_MS),
    );
    const link = `${this.ctx.publicUrl()}/portal/confirm-email?token=${encodeURIComponent(token)}`;
    const mail = confirmationMail(user.firstName, link);
    await this.ctx.mailer.send({ tenantId: user.tenantId, to: user.email, ...mail });
  }

  /** Sends the confirmation link again (answers the same whether or not the address exists). */
  async resendConfirmation(email: string, ip: string): Promise<void> {
    this.limitMail(email, ip);
    const user = await this.ctx.repos.users.findByEmail(email);
    if (user && user.emailConfirmedAt === null) await this.sendConfirmation(user);
  }

  async confirmEmail(token: string): Promise<void> {
    const result = await this.ctx.repos.emailTokens.consume(
      sha256(token),
      'confirm_email',
      new Date(this.ctx.now()),
    );
    if (!result.ok) throw linkError(result.reason, 'confirmation');
    await this.ctx.repos.users.confirmEmail(result.userId);
  }

  /** Checks the password (rate-limited per account and per address); returns a new session token. */
  async login(
    email: string,
    password: string,
    meta: { ip: string; userAgent?: string },
  ): Promise<{ token: string; user: User }> {
    const now = this.ctx.now();
    const accountKey = email.trim().toLowerCase();
    const { loginAccount, loginAddress } = this.ctx.limits;
    const addressWait = loginAddress.blockedFor(meta.ip, now);
    if (addressWait > 0) {
      throw new ApiError(
        'rate_limited',
        `too many failed sign-in attempts from your address; try again in ${minutes(addressWait)} minute(s)`,
        [],
        Math.ceil(addressWait / 1000),
      );
    }
    const accountWait = loginAccount.blockedFor(accountKey, now);
    if (accountWait > 0) {
      throw new ApiError(
        'rate_limited',
        `too many failed sign-in attempts for this account; try again in ${minutes(accountWait)} minute(s) or reset your password`,
        [],
        Math.ceil(accountWait / 1000),
      );
    }
    const user = await this.ctx.repos.users.findWithHashByEmail(accountKey);
    // An unknown address costs one hash check too, so timing does not tell which addresses exist.
    const ok =
      user !== undefined
        ? await this.ctx.hasher.verify(user.passwordHash, password)
        : await this.dummyCheck(password);
    if (!user || !ok) {
      loginAccount.fail(accountKey, now);
      loginAddress.fail(meta.ip, now);
      throw new ApiError('invalid_credentials', 'wrong e-mail address or password');
    }
    if (user.emailConfirmedAt === null) {
      throw new ApiError(
        'email_not_confirmed',
        'confirm your e-mail address first: follow the link we sent you (or ask for a new one)',
      );
    }
    loginAccount.reset(accountKey);
    const token = newToken('');
    await this.ctx.repos.sessions.create({
      id: sha256(token),
      userId: user.id,
      expiresAt: new Date(now + SESSION_TTL_MS),
      ip: meta.ip,
      userAgent: meta.userAgent ?? null,
    });
    const { passwordHash: _h, ...plain } = user;
    return { token, user: plain };
  }

  async logout(actor: Actor): Promise<void> {
    if (actor.sessionId) await this.ctx.repos.sessions.remove(actor.sessionId);
  }

  async requestPasswordReset(email: string, ip: string): Promise<void> {
    this.limitMail(email, ip);
    const user = await this.ctx.repos.users.findByEmail(email);
    if (!user) return;
    const token = newToken('');
    await this.ctx.repos.emailTokens.issue(
      user.id,
      'reset_password',
      sha256(token),
      new Date(this.ctx.now() + RESET_TTL_MS),
    );
    const link = `${this.ctx.publicUrl()}/portal/reset-password?token=${encodeURIComponent(token)}`;
    await this.ctx.mailer.send({
      tenantId: user.tenantId,
      to: user.email,
      ...passwordResetMail(user.firstName, link),
    });
  }

  /** Sets a new password from an e-mailed link; every session of the user ends. */
  async resetPassword(token: string, password: string, confirmation: string, ip: string): Promise<void> {
    assertFields(
      password !== confirmation && { field: 'passwordConfirmation', message: 'does not match the password' },
    );
    const result = await this.ctx.repos.emailTokens.consume(
      sha256(token),
      'reset_password',
      new Date(this.ctx.now()),
    );
    if (!result.ok) throw linkError(result.reason, 'password reset');
    const { repos } = this.ctx;
    await repos.users.setPasswordHash(result.userId, await this.ctx.hasher.hash(password));
    // Following the link proves the address too.
    await repos.users.confirmEmail(result.userId);
    await repos.sessions.removeForUser(result.userId);
    const user = await repos.users.findById(result.userId);
    if (user) {
      this.ctx.limits.loginAccount.reset(user.email);
      await audit(this.ctx, { tenantId: user.tenantId, label: user.email, ip, user }, 'user.password.reset', {
        type: 'user',
        id: user.id,
      });
    }
  }

  /** Changes the password; other sessions of the user end, this one stays. */
  async changePassword(actor: Actor, current: string, next: string, confirmation: string): Promise<void> {
    const user = await this.ctx.repos.users.findWithHashById(actor.user.id);
    const ok = user !== undefined && (await this.ctx.hasher.verify(user.passwordHash, current));
    assertFields(
      !ok && { field: 'currentPassword', message: 'is wrong' },
      next !== confirmation && {
        field: 'newPasswordConfirmation',
        message: 'does not match the new password',
      },
    );
    await this.ctx.repos.users.setPasswordHash(actor.user.id, await this.ctx.hasher.hash(next));
    await this.ctx.repos.sessions.removeForUser(actor.user.id, actor.sessionId);
    await audit(this.ctx, actor, 'user.password.change', { type: 'user', id: actor.user.id });
  }

  async me(actor: Actor): Promise<Me> {
    return toMe(actor.user, await this.ctx.repos.users.organisation(actor.tenantId));
  }

  async updateProfile(
    actor: Actor,
    patch: {
      firstName?: string;
      lastName?: string;
      newsSubscription?: boolean;
      organisationName?: string;
      website?: string | null;
      supportEmail?: string | null;
    },
  ): Promise<Me> {
    const user = await this.ctx.repos.users.updateProfile(actor.user.id, {
      firstName: patch.firstName,
      lastName: patch.lastName,
      newsOptIn: patch.newsSubscription,
    });
    if (
      patch.organisationName !== undefined ||
      patch.website !== undefined ||
      patch.supportEmail !== undefined
    ) {
      const before = await this.ctx.repos.users.supportEmail(actor.tenantId);
      await this.ctx.repos.users.updateOrganisation(actor.tenantId, {
        name: patch.organisationName,
        website: patch.website === undefined ? undefined : patch.website?.trim() || null,
        supportEmail: patch.supportEmail,
      });
      // The support address is in every device's configuration: they fetch the new one.
      if ((await this.ctx.repos.users.supportEmail(actor.tenantId)) !== before) {
        const { items } = await this.ctx.repos.devices.list({ tenantId: actor.tenantId, limit: 100_000 });
        await configChanged(
          this.ctx,
          actor.tenantId,
          items.map((d) => d.id),
        );
      }
    }
    await audit(
      this.ctx,
      actor,
      'user.profile.update',
      { type: 'user', id: actor.user.id },
      { changed: Object.keys(patch) },
    );
    return toMe(user, await this.ctx.repos.users.organisation(actor.tenantId));
  }

  private limitMail(email: string, ip: string): void {
    const now = this.ctx.now();
    const key = `${ip}|${email.trim().toLowerCase()}`;
    const wait = this.ctx.limits.mailAddress.blockedFor(key, now);
    if (wait > 0) {
      throw new ApiError(
        'rate_limited',
        `too many e-mails asked for; try again in ${minutes(wait)} minute(s)`,
        [],
        Math.ceil(wait / 1000),
      );
    }
    this.ctx.limits.mailAddress.fail(key, now);
  }
}

function linkError(reason: 'unknown' | 'used' | 'expired', what: string): ApiError {
  const message =
    reason === 'used'
      ? `this ${what} link was already used`
      : reason === 'expired'
        ? `this ${what} link has expired; ask for a new one`
        : `this ${what} link is not valid`;
  return new ApiError('link_invalid', message, [{ field: 'token', message: reason }]);
}
