// The PBX's applications over the API (issue 7): conference rooms, call recordings and
// voicemail. The PBX side is reached through PbxControl (pbx-control.ts); without it (an API
// without a PBX) the live routes answer 404.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { conferenceRoutes } from './conference-routes.ts';
import { recordingRoutes } from './recording-routes.ts';
import { voicemailRoutes } from './voicemail-routes.ts';

export { deviceVoicemailRoutes } from './voicemail-routes.ts';

export async function pbxAppRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  await conferenceRoutes(app, ctx);
  await recordingRoutes(app, ctx);
  await voicemailRoutes(app, ctx);
}
