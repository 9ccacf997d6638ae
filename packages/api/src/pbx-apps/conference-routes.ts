// /api/v1/conferences (issue 7): the open rooms of the PBX's mixing bridge, inviting parties,
// muting, holding and hanging up participants, ending a room (docs/conference.md).
import type { FastifyInstance } from 'fastify';
import { listOf } from '@switchboard/contracts';
import { actorOf } from '../auth/authenticate.ts';
import { audit } from '../audit/audit.ts';
import type { ApiContext } from '../context.ts';
import { notFound } from '../errors/api-error.ts';
import type { ParticipantAction, RoomAction } from './pbx-control.ts';
import {
  conferenceSchema,
  inviteRequest,
  inviteResponse,
  memberPatch,
  participantParams,
  roomParams,
} from './pbx-app-schemas.ts';
import { control, errors } from './pbx-app-common.ts';

export async function conferenceRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const conferences = { tags: ['conferences'] };

  app.get(
    '/conferences',
    {
      schema: {
        ...conferences,
        summary: 'Open conference rooms',
        response: { 200: listOf(conferenceSchema), ...errors },
      },
    },
    async (request) => {
      const items = control(ctx).conferences.list(actorOf(request).tenantId);
      return { items, total: items.length };
    },
  );

  app.get<{ Params: { room: string } }>(
    '/conferences/:room',
    {
      schema: {
        ...conferences,
        summary: 'One room',
        params: roomParams,
        response: { 200: conferenceSchema, ...errors },
      },
    },
    async (request) => {
      const room = control(ctx).conferences.get(actorOf(request).tenantId, request.params.room);
      if (!room) throw notFound('conference');
      return room;
    },
  );

  app.post<{ Params: { room: string }; Body: { extension: string } }>(
    '/conferences/:room/participants',
    {
      schema: {
        ...conferences,
        summary: 'Call an extension into the room (opening it); 202 while it rings',
        params: roomParams,
        body: inviteRequest,
        response: { 202: inviteResponse, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { room } = request.params;
      const { extension } = request.body;
      const account = await ctx.repos.sipAccounts.findExtension(actor.tenantId, extension);
      if (!account?.enabled) throw notFound('extension');
      const pbx = control(ctx);
      // The phone rings for up to the ring timeout: the answer does not wait for it.
      void pbx.conferences
        .invite(actor.tenantId, room, extension)
        .then((result) => ctx.log.info({ room, extension, result }, 'conference invitation'))
        .catch((err: unknown) =>
          ctx.log.warn({ room, extension, err: String(err) }, 'conference invitation failed'),
        );
      await audit(ctx, actor, 'conference.invite', { type: 'conference', id: room }, { extension });
      return reply.code(202).send({ room, extension, status: 'calling' });
    },
  );

  app.patch<{ Params: { room: string; participant: string }; Body: { muted?: boolean; held?: boolean } }>(
    '/conferences/:room/participants/:participant',
    {
      schema: {
        ...conferences,
        summary: 'Mute or hold one participant (a participant on hold hears music)',
        params: participantParams,
        body: memberPatch,
        response: { 200: conferenceSchema, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { room, participant } = request.params;
      const pbx = control(ctx);
      const actions: ParticipantAction[] = [];
      if (request.body.muted !== undefined) actions.push(request.body.muted ? 'mute' : 'unmute');
      if (request.body.held !== undefined) actions.push(request.body.held ? 'hold' : 'resume');
      for (const action of actions)
        if (!(await pbx.conferences.participant(actor.tenantId, room, participant, action)))
          throw notFound('participant');
      const view = pbx.conferences.get(actor.tenantId, room);
      if (!view) throw notFound('conference');
      return view;
    },
  );

  app.delete<{ Params: { room: string; participant: string } }>(
    '/conferences/:room/participants/:participant',
    {
      schema: {
        ...conferences,
        summary: 'Hang up one participant',
        params: participantParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { room, participant } = request.params;
      if (!(await control(ctx).conferences.participant(actor.tenantId, room, participant, 'remove')))
        throw notFound('participant');
      await audit(ctx, actor, 'conference.remove', { type: 'conference', id: room }, { participant });
      return reply.code(204).send();
    },
  );

  app.patch<{ Params: { room: string }; Body: { muted?: boolean; held?: boolean } }>(
    '/conferences/:room',
    {
      schema: {
        ...conferences,
        summary: 'Mute or hold everyone but the owner',
        params: roomParams,
        body: memberPatch,
        response: { 200: conferenceSchema, ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { room } = request.params;
      const pbx = control(ctx);
      const actions: RoomAction[] = [];
      if (request.body.muted !== undefined) actions.push(request.body.muted ? 'mute' : 'unmute');
      if (request.body.held !== undefined) actions.push(request.body.held ? 'hold' : 'resume');
      for (const action of actions)
        if (!(await pbx.conferences.room(actor.tenantId, room, action))) throw notFound('conference');
      const view = pbx.conferences.get(actor.tenantId, room);
      if (!view) throw notFound('conference');
      return view;
    },
  );

  app.delete<{ Params: { room: string } }>(
    '/conferences/:room',
    {
      schema: {
        ...conferences,
        summary: 'End the conference (everyone gets BYE)',
        params: roomParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (!(await control(ctx).conferences.room(actor.tenantId, request.params.room, 'end')))
        throw notFound('conference');
      await audit(ctx, actor, 'conference.end', { type: 'conference', id: request.params.room });
      return reply.code(204).send();
    },
  );
}
