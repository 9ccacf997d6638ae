// The softphone's conference controls, with the device token (issue 7: "the inviter … controls
// them: hold, mute or hang up one participant; hold, mute or terminate the whole conference").
// A device reaches a room only while one of its lines (a built-in PBX extension) owns it — the
// room the app opened by moving its call there; any other room answers 404, as if it did not
// exist. Same views and actions as /conferences (pbx-app-routes.ts).
import type { FastifyInstance } from 'fastify';
import { errorSchema } from '@switchboard/contracts';
import { deviceOf, requireDevice } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { notFound } from '../errors/api-error.ts';
import { deviceExtensions } from './device-pbx-app-routes.ts';
import { conferenceSchema, memberPatch, participantParams, roomParams } from './pbx-app-schemas.ts';
import type { ConferenceRoomView, ParticipantAction, PbxControl, RoomAction } from './pbx-control.ts';

const errors = { 400: errorSchema, 401: errorSchema, 404: errorSchema };
const tags = { tags: ['conferences'], security: [{ deviceToken: [] }] };

type Patch = { readonly muted?: boolean; readonly held?: boolean };

const actionsOf = (patch: Patch): Array<ParticipantAction & RoomAction> => [
  ...(patch.muted === undefined ? [] : [patch.muted ? ('mute' as const) : ('unmute' as const)]),
  ...(patch.held === undefined ? [] : [patch.held ? ('hold' as const) : ('resume' as const)]),
];

export async function deviceConferenceRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.addHook('onRequest', requireDevice(ctx));

  const pbx = (): PbxControl => {
    if (!ctx.pbx) throw notFound('PBX');
    return ctx.pbx;
  };
  /** The room, when one of the device's lines owns it; 404 otherwise. */
  const ownRoom = async (
    request: Parameters<typeof deviceOf>[0],
    room: string,
  ): Promise<ConferenceRoomView> => {
    const device = deviceOf(request);
    const view = pbx().conferences.get(device.tenantId, room);
    const mine = await deviceExtensions(ctx, device);
    if (!view || !mine.some((e) => e.username === view.owner)) throw notFound('conference');
    return view;
  };

  app.get<{ Params: { room: string } }>(
    '/provisioning/conferences/:room',
    {
      schema: {
        ...tags,
        summary: 'A room this device owns: its participants',
        params: roomParams,
        response: { 200: conferenceSchema, ...errors },
      },
    },
    async (request) => ownRoom(request, request.params.room),
  );

  app.patch<{ Params: { room: string; participant: string }; Body: Patch }>(
    '/provisioning/conferences/:room/participants/:participant',
    {
      schema: {
        ...tags,
        summary: 'Mute or hold one participant of a room this device owns',
        params: participantParams,
        body: memberPatch,
        response: { 200: conferenceSchema, ...errors },
      },
    },
    async (request) => {
      const { room, participant } = request.params;
      const view = await ownRoom(request, room);
      const tenantId = deviceOf(request).tenantId;
      if (!view.participants.some((p) => p.id === participant)) throw notFound('participant');
      for (const action of actionsOf(request.body))
        if (!(await pbx().conferences.participant(tenantId, room, participant, action)))
          throw notFound('participant');
      return pbx().conferences.get(tenantId, room) ?? view;
    },
  );

  app.delete<{ Params: { room: string; participant: string } }>(
    '/provisioning/conferences/:room/participants/:participant',
    {
      schema: {
        ...tags,
        summary: 'Hang up one participant of a room this device owns',
        params: participantParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      const { room, participant } = request.params;
      await ownRoom(request, room);
      if (!(await pbx().conferences.participant(deviceOf(request).tenantId, room, participant, 'remove')))
        throw notFound('participant');
      return reply.code(204).send();
    },
  );

  app.patch<{ Params: { room: string }; Body: Patch }>(
    '/provisioning/conferences/:room',
    {
      schema: {
        ...tags,
        summary: 'Mute or hold everyone but the owner',
        params: roomParams,
        body: memberPatch,
        response: { 200: conferenceSchema, ...errors },
      },
    },
    async (request) => {
      const { room } = request.params;
      const view = await ownRoom(request, room);
      const tenantId = deviceOf(request).tenantId;
      for (const action of actionsOf(request.body))
        if (!(await pbx().conferences.room(tenantId, room, action))) throw notFound('conference');
      return pbx().conferences.get(tenantId, room) ?? view;
    },
  );

  app.delete<{ Params: { room: string } }>(
    '/provisioning/conferences/:room',
    {
      schema: {
        ...tags,
        summary: 'End the conference (everyone gets BYE)',
        params: roomParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      const { room } = request.params;
      await ownRoom(request, room);
      if (!(await pbx().conferences.room(deviceOf(request).tenantId, room, 'end')))
        throw notFound('conference');
      return reply.code(204).send();
    },
  );
}
