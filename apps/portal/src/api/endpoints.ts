// Typed calls for every endpoint the portal uses (types from @switchboard/contracts).
import type {
  Activation,
  ApiTokenInfo,
  AuditEntry,
  Contact,
  ContactInput,
  CreatedApiToken,
  Device,
  DeviceInput,
  List,
  Me,
  OutboxMail,
  Provider,
  ProviderInput,
  RegisterRequest,
  RegisterResponse,
  SipAccount,
  SipAccountInput,
} from '@switchboard/contracts';
import { request } from './client.ts';

const id = (value: string): string => encodeURIComponent(value);

export interface ProfilePatch {
  firstName?: string;
  lastName?: string;
  newsSubscription?: boolean;
  organisationName?: string;
  website?: string | null;
  supportEmail?: string | null;
}

export const api = {
  auth: {
    register: (body: RegisterRequest) =>
      request<RegisterResponse>('/auth/register', { method: 'POST', body, anonymous: true }),
    confirmEmail: (token: string) =>
      request<void>('/auth/confirm-email', { method: 'POST', body: { token }, anonymous: true }),
    resendConfirmation: (email: string) =>
      request<void>('/auth/confirm-email/resend', { method: 'POST', body: { email }, anonymous: true }),
    login: (email: string, password: string) =>
      request<Me>('/auth/login', { method: 'POST', body: { email, password }, anonymous: true }),
    logout: () => request<void>('/auth/logout', { method: 'POST', anonymous: true }),
    me: () => request<Me>('/auth/me', { anonymous: true }),
    updateProfile: (body: ProfilePatch) => request<Me>('/auth/me', { method: 'PATCH', body }),
    requestPasswordReset: (email: string) =>
      request<void>('/auth/password-reset', { method: 'POST', body: { email }, anonymous: true }),
    resetPassword: (token: string, password: string, passwordConfirmation: string) =>
      request<void>('/auth/password-reset/confirm', {
        method: 'POST',
        body: { token, password, passwordConfirmation },
        anonymous: true,
      }),
    changePassword: (currentPassword: string, newPassword: string, newPasswordConfirmation: string) =>
      request<void>('/auth/password', {
        method: 'POST',
        body: { currentPassword, newPassword, newPasswordConfirmation },
      }),
  },
  tokens: {
    list: () => request<List<ApiTokenInfo>>('/auth/tokens'),
    create: (name: string) => request<CreatedApiToken>('/auth/tokens', { method: 'POST', body: { name } }),
    revoke: (tokenId: string) => request<void>(`/auth/tokens/${id(tokenId)}`, { method: 'DELETE' }),
  },
  providers: {
    list: () => request<List<Provider>>('/providers'),
    get: (providerId: string) => request<Provider>(`/providers/${id(providerId)}`),
    create: (body: ProviderInput) => request<Provider>('/providers', { method: 'POST', body }),
    update: (providerId: string, body: Partial<ProviderInput>) =>
      request<Provider>(`/providers/${id(providerId)}`, { method: 'PATCH', body }),
    remove: (providerId: string, cascade = false) =>
      request<void>(`/providers/${id(providerId)}`, { method: 'DELETE', query: { cascade } }),
  },
  accounts: {
    all: () => request<List<SipAccount>>('/accounts', { query: { limit: 500 } }),
    list: (providerId: string) =>
      request<List<SipAccount>>(`/providers/${id(providerId)}/accounts`, { query: { limit: 500 } }),
    create: (providerId: string, body: SipAccountInput) =>
      request<SipAccount>(`/providers/${id(providerId)}/accounts`, { method: 'POST', body }),
    update: (providerId: string, accountId: string, body: Partial<SipAccountInput>) =>
      request<SipAccount>(`/providers/${id(providerId)}/accounts/${id(accountId)}`, {
        method: 'PATCH',
        body,
      }),
    remove: (providerId: string, accountId: string, cascade = false) =>
      request<void>(`/providers/${id(providerId)}/accounts/${id(accountId)}`, {
        method: 'DELETE',
        query: { cascade },
      }),
  },
  contacts: {
    list: (query: { search?: string; limit?: number; offset?: number; sort?: string; order?: string }) =>
      request<List<Contact>>('/contacts', { query }),
    get: (contactId: string) => request<Contact>(`/contacts/${id(contactId)}`),
    create: (body: ContactInput) => request<Contact>('/contacts', { method: 'POST', body }),
    update: (contactId: string, body: Partial<ContactInput>) =>
      request<Contact>(`/contacts/${id(contactId)}`, { method: 'PATCH', body }),
    remove: (contactId: string, cascade = false) =>
      request<void>(`/contacts/${id(contactId)}`, { method: 'DELETE', query: { cascade } }),
  },
  devices: {
    list: (contactId: string) =>
      request<List<Device>>(`/contacts/${id(contactId)}/devices`, { query: { limit: 500 } }),
    get: (deviceId: string) => request<Device>(`/devices/${id(deviceId)}`),
    create: (contactId: string, body: DeviceInput) =>
      request<Device>(`/contacts/${id(contactId)}/devices`, { method: 'POST', body }),
    update: (deviceId: string, body: Partial<DeviceInput>) =>
      request<Device>(`/devices/${id(deviceId)}`, { method: 'PATCH', body }),
    remove: (deviceId: string) => request<void>(`/devices/${id(deviceId)}`, { method: 'DELETE' }),
    move: (deviceId: string, contactId: string) =>
      request<Device>(`/devices/${id(deviceId)}/move`, { method: 'POST', body: { contactId } }),
  },
  activation: {
    get: (deviceId: string) => request<Activation>(`/devices/${id(deviceId)}/activation`),
    send: (deviceId: string, email: string) =>
      request<Activation>(`/devices/${id(deviceId)}/activation/send`, { method: 'POST', body: { email } }),
    reset: (deviceId: string) =>
      request<Activation>(`/devices/${id(deviceId)}/activation/reset`, { method: 'POST' }),
  },
  outbox: {
    list: (query: { limit?: number; offset?: number; to?: string } = {}) =>
      request<List<OutboxMail>>('/outbox', { query }),
    get: (mailId: string) => request<OutboxMail>(`/outbox/${id(mailId)}`),
    status: () => request<{ delivery: 'smtp' | 'outbox' }>('/mail/status'),
  },
  audit: {
    list: (query: { limit?: number; offset?: number; action?: string } = {}) =>
      request<List<AuditEntry>>('/audit', { query }),
  },
};
