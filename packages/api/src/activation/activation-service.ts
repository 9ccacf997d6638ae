// Activation of a device: its single-use code (80 random bits), the QR code and the
// click-to-activate link that encode it, the e-mailed instructions, and the reset that kills the
// old code and deactivates an activated device.
import type { Activation } from '@switchboard/contracts';
import type { Device } from '@switchboard/db';
import type { ApiContext, Actor } from '../context.ts';
import { ApiError, notFound } from '../errors/api-error.ts';
import { audit } from '../audit/audit.ts';
import { formatActivationCode, newActivationCode } from '../auth/secrets.ts';
import { announceDeactivation, publishAccounts, publishDevices } from '../live/notify.ts';
import { activationMail } from '../mail/templates.ts';
import { qrPng, qrPngDataUri, qrSvg } from './qr.ts';

export class ActivationService {
  constructor(private readonly ctx: ApiContext) {}

  /** The click-to-activate link: opens the softphone with the code. */
  link(code: string): string {
    return `${this.ctx.publicUrl()}/phone/?activate=${encodeURIComponent(formatActivationCode(code))}`;
  }

  private async device(tenantId: string, id: string): Promise<Device> {
    const d = await this.ctx.repos.devices.findById(tenantId, id);
    if (!d) throw notFound('device');
    return d;
  }

  async get(tenantId: string, id: string): Promise<Activation> {
    return this.view(await this.device(tenantId, id));
  }

  private async view(d: Device): Promise<Activation> {
    const base = {
      activated: d.activatedAt !== null,
      instructionsSentTo: d.instructionsSentTo,
      instructionsSentAt: d.instructionsSentAt?.toISOString() ?? null,
    };
    const code =
      d.activatedAt === null && d.instructionsSentAt === null
        ? await this.ctx.repos.activationCodes.current(d.id)
        : undefined;
    if (code === undefined) return { code: null, qrSvg: null, qrPng: null, link: null, ...base };
    const link = this.link(code);
    return {
      code: formatActivationCode(code),
      qrSvg: await qrSvg(link),
      qrPng: await qrPngDataUri(link),
      link,
      ...base,
    };
  }

  /** E-mails the instructions to one of the contact's addresses; the code is then hidden in the portal. */
  async send(actor: Actor, id: string, email: string): Promise<Activation> {
    const d = await this.device(actor.tenantId, id);
    if (d.activatedAt !== null) {
      throw new ApiError(
        'device_already_activated',
        'the device is already activated; reset its code to activate it again',
      );
    }
    const contact = await this.ctx.repos.contacts.findById(actor.tenantId, d.contactId);
    const address = contact?.emails.find(
      (e) => e.address.toLowerCase() === email.trim().toLowerCase(),
    )?.address;
    if (!contact || !address) {
      throw new ApiError(
        'validation_failed',
        "send the instructions to one of the contact's e-mail addresses",
        [{ field: 'email', message: 'is not an address of this contact' }],
      );
    }
    let code = await this.ctx.repos.activationCodes.current(d.id);
    if (code === undefined) {
      code = newActivationCode();
      await this.ctx.repos.activationCodes.issue(d.id, code);
    }
    const link = this.link(code);
    const mail = activationMail({
      contactName: `${contact.firstName} ${contact.lastName}`,
      deviceName: d.name,
      code: formatActivationCode(code),
      link,
      qrCid: 'activation-qr',
    });
    try {
      await this.ctx.mailer.send({
        tenantId: actor.tenantId,
        to: address,
        ...mail,
        attachments: [
          {
            filename: 'activation-qr.png',
            contentType: 'image/png',
            content: await qrPng(link),
            cid: 'activation-qr',
          },
        ],
      });
    } catch (err) {
      this.ctx.log.warn({ err: String(err), deviceId: d.id }, 'activation e-mail failed');
      throw new ApiError('mail_failed', 'the mail server did not accept the message; try again later');
    }
    await this.ctx.repos.devices.markInstructionsSent(
      actor.tenantId,
      d.id,
      address,
      new Date(this.ctx.now()),
    );
    await audit(this.ctx, actor, 'device.activation.send', { type: 'device', id: d.id }, { to: address });
    await publishDevices(this.ctx, actor.tenantId, [d.id]);
    return this.view(await this.device(actor.tenantId, id));
  }

  /** Replaces the code (the old one stops working); an activated device is deactivated and told. */
  async reset(actor: Actor, id: string): Promise<Activation> {
    const d = await this.device(actor.tenantId, id);
    await this.ctx.repos.activationCodes.issue(d.id, newActivationCode());
    await this.ctx.repos.devices.deactivate(actor.tenantId, d.id);
    const wasActivated = d.activatedAt !== null;
    if (wasActivated) announceDeactivation(this.ctx, d.id, 'reset');
    await audit(
      this.ctx,
      actor,
      'device.activation.reset',
      { type: 'device', id: d.id },
      { deactivated: wasActivated },
    );
    await publishDevices(this.ctx, actor.tenantId, [d.id]);
    if (wasActivated) await publishAccounts(this.ctx, actor.tenantId, d.accountIds);
    return this.view(await this.device(actor.tenantId, id));
  }
}
