// The rules on a trunk's, an outbound route's and a DID's values (migration 0007): each check
// lists every bad field, so the API and the CLI can report them all at once.
import type { FieldProblem } from '../errors.ts';
import { checkText, normaliseDomain, type Check } from '../validation.ts';
import { TRUNK_CODECS, type NewDid, type NewOutboundRoute, type TrunkPatch } from './trunk.ts';

const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const PROXY = /^(?=.{1,260}$)[a-z0-9.-]+(:\d{1,5})?$/;
const NUMBER = /^\+?[0-9]{1,32}$/;
export const SIP_USER = /^[A-Za-z0-9\-_.!~*'()+$&=,]{1,64}$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/(\d{1,2}))?$/;
/** Outbound route patterns (docs/trunks.md): digits, + * #, X Z N, [sets], a final . or !. */
export const ROUTE_PATTERN = /^(?:[0-9*#+XZNxzn]|\[[0-9-]+\])+[.!]?$/;

const problem = (field: string, ok: boolean, message: string): Check => (ok ? undefined : { field, message });

/** Every problem of a trunk's fields (all of them, for the API's details). */
export function checkTrunk(input: TrunkPatch): FieldProblem[] {
  const checks: Check[] = [];
  if (input.name !== undefined) checks.push(checkText('name', input.name.trim(), 1, 100));
  if (input.host !== undefined)
    checks.push(
      problem('host', HOST.test(normaliseDomain(input.host)), 'expected a host name or IPv4 address'),
    );
  if (input.port !== undefined)
    checks.push(
      problem(
        'port',
        Number.isInteger(input.port) && input.port >= 1 && input.port <= 65535,
        'expected 1-65535',
      ),
    );
  if (input.transport !== undefined)
    checks.push(
      problem('transport', ['udp', 'tcp', 'tls'].includes(input.transport), 'expected udp, tcp or tls'),
    );
  if (input.outboundProxy)
    checks.push(
      problem(
        'outboundProxy',
        PROXY.test(input.outboundProxy.trim().toLowerCase()),
        'expected host or host:port',
      ),
    );
  if (input.authUsername) checks.push(checkText('authUsername', input.authUsername, 1, 128));
  if (input.password) checks.push(checkText('password', input.password, 1, 128));
  if (input.fromUser)
    checks.push(problem('fromUser', SIP_USER.test(input.fromUser), 'expected a SIP user name'));
  if (input.fromDomain)
    checks.push(problem('fromDomain', HOST.test(normaliseDomain(input.fromDomain)), 'expected a host name'));
  if (input.callerId)
    checks.push(
      problem('callerId', NUMBER.test(input.callerId), 'expected a number: digits, optionally a leading +'),
    );
  if (input.codecs !== undefined)
    checks.push(
      problem(
        'codecs',
        input.codecs.length > 0 &&
          input.codecs.every((c) => (TRUNK_CODECS as readonly string[]).includes(c)) &&
          new Set(input.codecs).size === input.codecs.length,
        'expected a list of PCMU and/or PCMA without repeats',
      ),
    );
  if (input.inboundAddresses !== undefined)
    input.inboundAddresses.forEach((a, index) => {
      const m = IPV4.exec(a);
      const ok =
        !!m && [1, 2, 3, 4].every((i) => Number(m[i]) <= 255) && (m[6] === undefined || Number(m[6]) <= 32);
      if (!ok)
        checks.push({
          field: `inboundAddresses[${index}]`,
          message: 'expected an IPv4 address or a.b.c.d/n',
        });
    });
  return checks.filter((c): c is FieldProblem => c !== undefined);
}

export function checkRoute(input: Partial<NewOutboundRoute>): FieldProblem[] {
  const checks: Check[] = [];
  if (input.pattern !== undefined)
    checks.push(
      problem(
        'pattern',
        input.pattern.length <= 64 && ROUTE_PATTERN.test(input.pattern),
        'expected digits, + * #, X (any digit), Z (1-9), N (2-9), [1-5] sets and a final . (one or more) or ! (zero or more)',
      ),
    );
  if (input.strip !== undefined)
    checks.push(
      problem(
        'strip',
        Number.isInteger(input.strip) && input.strip >= 0 && input.strip <= 32,
        'expected 0-32',
      ),
    );
  if (input.prepend !== undefined)
    checks.push(
      problem('prepend', /^[0-9*#+]{0,16}$/.test(input.prepend), 'expected up to 16 digits, + * #'),
    );
  if (input.position !== undefined)
    checks.push(problem('position', Number.isInteger(input.position), 'expected an integer'));
  return checks.filter((c): c is FieldProblem => c !== undefined);
}

export function checkDid(input: Partial<NewDid>): FieldProblem[] {
  const checks: Check[] = [];
  if (input.number !== undefined)
    checks.push(
      problem('number', NUMBER.test(input.number), 'expected a number: digits, optionally a leading +'),
    );
  if (input.extension !== undefined)
    checks.push(problem('extension', SIP_USER.test(input.extension), 'expected an extension number'));
  return checks.filter((c): c is FieldProblem => c !== undefined);
}
