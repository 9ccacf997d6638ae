// The API's error catalogue. Codes are stable: clients branch on `code`, people read `message`,
// and forms put each `details` entry next to its `field`.

export const ERROR_STATUS = {
  /** The request body, query or path broke the schema or a rule; `details` lists every bad field. */
  validation_failed: 400,
  /** Malformed request (unparseable JSON, …). */
  bad_request: 400,
  /** No valid session cookie or bearer token. */
  unauthenticated: 401,
  /** Wrong e-mail or password. */
  invalid_credentials: 401,
  /** The device credential is unknown or was revoked (the device was reset or deleted). */
  device_deactivated: 401,
  /** The account exists but its e-mail address is not confirmed yet. */
  email_not_confirmed: 403,
  /** Never allowed (e.g. deleting the built-in PBX provider). */
  forbidden: 403,
  not_found: 404,
  /** No device has this activation code. */
  activation_code_unknown: 404,
  /** A unique value is taken (e-mail, SIP username, …). */
  conflict: 409,
  /** The provider has accounts assigned to devices; repeat with `?cascade=true`. */
  provider_in_use: 409,
  /** The SIP account is assigned to devices; repeat with `?cascade=true`. */
  account_in_use: 409,
  /** The contact has devices; repeat with `?cascade=true`. */
  contact_has_devices: 409,
  /** The device is activated: reset its code first. */
  device_already_activated: 409,
  /** The activation code was already used to activate a device. */
  activation_code_used: 410,
  /** The activation code was replaced by a reset. */
  activation_code_replaced: 410,
  /** The e-mailed link (confirmation, password reset) is unknown, used or expired. */
  link_invalid: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** Too many attempts; `retryAfterSeconds` says when to try again. */
  rate_limited: 429,
  internal_error: 500,
  /** The mail could not be delivered to the SMTP server. */
  mail_failed: 502,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  /** The field, as a JSON path from the body or query (`emails[1].address`, `accountIds`). */
  readonly field: string;
  readonly message: string;
  /** For lists: the position of the offending item. */
  readonly index?: number;
}

export interface ApiErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly details: readonly ErrorDetail[];
    /** Only with rate_limited. */
    readonly retryAfterSeconds?: number;
  };
}
