// SMTP when SMTP_URL is set; otherwise the built-in outbox the portal shows.
import { OutboxMailer, type Mailer } from '@switchboard/api';
import type { Repositories } from '@switchboard/db';
import type { Config } from '../config.ts';
import { createSmtpMailer } from './smtp-mailer.ts';

export function createMailer(config: Pick<Config, 'smtpUrl'>, repos: Pick<Repositories, 'outbox'>): Mailer {
  return config.smtpUrl !== undefined ? createSmtpMailer(config.smtpUrl) : new OutboxMailer(repos.outbox);
}
