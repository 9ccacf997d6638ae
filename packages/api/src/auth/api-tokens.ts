// Creating an API token (also used by `switchboard token create`).
import type { ApiToken, Repositories } from '@switchboard/db';
import { API_TOKEN_PREFIX } from './authenticate.ts';
import { newToken, sha256 } from './secrets.ts';

export async function createApiToken(
  repos: Pick<Repositories, 'apiTokens'>,
  userId: string,
  name: string,
): Promise<{ token: string; record: ApiToken }> {
  const token = newToken(API_TOKEN_PREFIX);
  const record = await repos.apiTokens.create({
    userId,
    name,
    tokenHash: sha256(token),
    prefix: token.slice(0, 10),
  });
  return { token, record };
}
