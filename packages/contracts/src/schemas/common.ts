// Building blocks of the request/response schemas (JSON Schema draft-07, as Fastify and
// OpenAPI 3.0 read them).
export type JsonSchema = Readonly<Record<string, unknown>>;

export const uuid = { type: 'string', format: 'uuid' } as const;
export const dateTime = { type: 'string', format: 'date-time' } as const;
export const nullable = (schema: JsonSchema): JsonSchema => ({ ...schema, nullable: true });

/** An object schema: every listed property, `required` ones required, nothing else accepted. */
export function object(
  properties: Record<string, JsonSchema>,
  required: readonly string[] = [],
  description?: string,
): JsonSchema {
  return {
    type: 'object',
    properties,
    required: [...required],
    additionalProperties: false,
    ...(description ? { description } : {}),
  };
}

/** `{ items, total }`: every list endpoint's shape. */
export function listOf(item: JsonSchema): JsonSchema {
  return object({ items: { type: 'array', items: item }, total: { type: 'integer', minimum: 0 } }, [
    'items',
    'total',
  ]);
}

export interface List<T> {
  readonly items: readonly T[];
  readonly total: number;
}

export const idParams = object({ id: uuid }, ['id']);

export const pagingQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  offset: { type: 'integer', minimum: 0, default: 0 },
} as const;

export const cascadeQuery = object(
  {
    cascade: {
      type: 'boolean',
      default: false,
      description: 'Also delete what depends on it (devices, assignments) instead of refusing.',
    },
  },
  [],
);

export const errorSchema = object(
  {
    error: object(
      {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: object(
            { field: { type: 'string' }, message: { type: 'string' }, index: { type: 'integer' } },
            ['field', 'message'],
          ),
        },
        retryAfterSeconds: { type: 'integer' },
      },
      ['code', 'message', 'details'],
    ),
  },
  ['error'],
  'An error: `code` is stable (see docs/api.md), `details` lists every bad field.',
);

/** `password` fields: at least 10 characters (argon2id-hashed portal passwords). */
export const PASSWORD_MIN = 10;
export const password = { type: 'string', minLength: PASSWORD_MIN, maxLength: 128 } as const;
export const email = { type: 'string', format: 'email', maxLength: 254 } as const;
export const name100 = { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' } as const;

/** The same properties without `default`s: for PATCH bodies, where a missing field means "unchanged". */
export function withoutDefaults(properties: Record<string, JsonSchema>): Record<string, JsonSchema> {
  return Object.fromEntries(
    Object.entries(properties).map(([k, v]) => {
      const { default: _d, ...rest } = v as Record<string, unknown>;
      return [k, rest];
    }),
  );
}
