// Contacts (end users) and their labelled e-mail addresses.
import { dateTime, email, name100, object, pagingQuery, uuid } from './common.ts';

export type EmailLabel = 'work' | 'home';
export interface ContactEmail {
  address: string;
  label: EmailLabel;
}
export interface Contact {
  id: string;
  firstName: string;
  lastName: string;
  emails: ContactEmail[];
  deviceCount: number;
  createdAt: string;
  updatedAt: string;
}
export const contactEmailSchema = object(
  { address: email, label: { type: 'string', enum: ['work', 'home'] } },
  ['address', 'label'],
);
export const contactSchema = object(
  {
    id: uuid,
    firstName: { type: 'string' },
    lastName: { type: 'string' },
    emails: { type: 'array', items: contactEmailSchema },
    deviceCount: { type: 'integer' },
    createdAt: dateTime,
    updatedAt: dateTime,
  },
  ['id', 'firstName', 'lastName', 'emails', 'deviceCount', 'createdAt', 'updatedAt'],
);
export interface ContactInput {
  firstName: string;
  lastName: string;
  emails: ContactEmail[];
}
const contactProps = {
  firstName: name100,
  lastName: name100,
  emails: { type: 'array', minItems: 1, maxItems: 10, items: contactEmailSchema },
};
export const createContactRequest = object(contactProps, ['firstName', 'lastName', 'emails']);
export const updateContactRequest = object(contactProps);
export const listContactsQuery = object({
  ...pagingQuery,
  search: { type: 'string', maxLength: 200, description: 'Substring of a name or e-mail address.' },
  sort: { type: 'string', enum: ['lastName', 'firstName', 'createdAt', 'updatedAt'], default: 'lastName' },
  order: { type: 'string', enum: ['asc', 'desc'], default: 'asc' },
});
