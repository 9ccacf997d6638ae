// The e-mails the API sends: address confirmation, password reset, activation instructions.
// Each has a plain-text and an HTML part; values are escaped in the HTML.

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family:system-ui,sans-serif;color:#1a1a1a;max-width:36rem;margin:auto;padding:1rem">
${body}
<p style="color:#555;font-size:0.9em">Switchboard</p></body></html>`;
}

const button = (href: string, label: string): string =>
  `<p><a href="${escapeHtml(href)}" style="display:inline-block;background:#0b57d0;color:#fff;padding:0.6em 1.2em;border-radius:4px;text-decoration:none">${escapeHtml(label)}</a></p>`;

export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export function confirmationMail(firstName: string, link: string): RenderedMail {
  const subject = 'Confirm your e-mail address';
  return {
    subject,
    text: `Hello ${firstName},\n\nConfirm your e-mail address to finish creating your Switchboard account:\n\n${link}\n\nThe link works for 48 hours. If you did not create an account, ignore this message.\n`,
    html: layout(
      subject,
      `<p>Hello ${escapeHtml(firstName)},</p><p>Confirm your e-mail address to finish creating your Switchboard account.</p>${button(link, 'Confirm my account')}<p>Or open this link: ${escapeHtml(link)}</p><p>The link works for 48 hours. If you did not create an account, ignore this message.</p>`,
    ),
  };
}

export function passwordResetMail(firstName: string, link: string): RenderedMail {
  const subject = 'Reset your password';
  return {
    subject,
    text: `Hello ${firstName},\n\nSomeone (hopefully you) asked to reset your Switchboard password. Choose a new one here:\n\n${link}\n\nThe link works for one hour, once. If you did not ask, ignore this message: your password stays as it is.\n`,
    html: layout(
      subject,
      `<p>Hello ${escapeHtml(firstName)},</p><p>Someone (hopefully you) asked to reset your Switchboard password.</p>${button(link, 'Choose a new password')}<p>Or open this link: ${escapeHtml(link)}</p><p>The link works for one hour, once. If you did not ask, ignore this message: your password stays as it is.</p>`,
    ),
  };
}

export function activationMail(input: {
  contactName: string;
  deviceName: string;
  code: string;
  link: string;
  qrCid: string;
}): RenderedMail {
  const subject = `Activate your softphone: ${input.deviceName}`;
  const text = `Hello ${input.contactName},

Your administrator set up the softphone "${input.deviceName}" for you. Activate it in one of three ways:

1. On this device, open the link: ${input.link}
2. On a phone or tablet, scan the QR code in this e-mail with the app.
3. Or type the activation code in the app: ${input.code}

The code works once. Your SIP password is provisioned for you: you never need to type it.
`;
  const html = layout(
    subject,
    `<p>Hello ${escapeHtml(input.contactName)},</p>
<p>Your administrator set up the softphone <strong>${escapeHtml(input.deviceName)}</strong> for you. Activate it in one of three ways:</p>
<h2 style="font-size:1.1em">1. Click to activate</h2>${button(input.link, 'Activate')}
<h2 style="font-size:1.1em">2. Scan the QR code with the app</h2>
<p><img src="cid:${escapeHtml(input.qrCid)}" alt="QR code for activation code ${escapeHtml(input.code)}" width="200" height="200"></p>
<h2 style="font-size:1.1em">3. Type the activation code</h2>
<p style="font-size:1.4em;font-family:monospace;letter-spacing:0.1em">${escapeHtml(input.code)}</p>
<p>The code works once. Your SIP password is provisioned for you: you never need to type it.</p>`,
  );
  return { subject, text, html };
}
