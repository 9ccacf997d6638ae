import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '@switchboard/db';
import { ApiError } from './api-error.ts';
import { toApiError, validationDetails } from './error-handler.ts';

describe('error mapping', () => {
  it('maps data-layer errors to catalogue codes and keeps their details', () => {
    expect(toApiError(new NotFoundError('contact'))).toMatchObject({ code: 'not_found', status: 404 });
    expect(
      toApiError(new ConflictError('taken', [{ field: 'username', message: 'is taken' }])),
    ).toMatchObject({
      code: 'conflict',
      status: 409,
      details: [{ field: 'username', message: 'is taken' }],
    });
    expect(toApiError(new ValidationError([{ field: 'a', message: 'b' }]))).toMatchObject({
      code: 'validation_failed',
      status: 400,
    });
    const own = new ApiError('rate_limited', 'slow down', [], 30);
    expect(toApiError(own)).toBe(own);
    expect(toApiError(new Error('boom'))).toBeUndefined();
  });

  it('names fields as JSON paths and reports each field once', () => {
    expect(
      validationDetails([
        { instancePath: '/emails/1/address', keyword: 'format', params: { format: 'email' } },
        { instancePath: '/emails/1/address', keyword: 'maxLength', params: { limit: 254 } },
        { instancePath: '', keyword: 'required', params: { missingProperty: 'lastName' } },
        {
          instancePath: '/emails/0',
          keyword: 'additionalProperties',
          params: { additionalProperty: 'kind' },
        },
        { instancePath: '/name', keyword: 'minLength', params: { limit: 1 } },
      ]),
    ).toEqual([
      { field: 'emails[1].address', message: 'must be a valid email' },
      { field: 'lastName', message: 'is required' },
      { field: 'emails[0].kind', message: 'is not a known field' },
      { field: 'name', message: 'is required' },
    ]);
  });
});
