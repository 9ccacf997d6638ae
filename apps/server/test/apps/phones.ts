// What the media-application tests share: an organisation administrator's API token, baresip
// phones that send a tone and are registered before the test goes on, and how many RTP packets
// a baresip has received.
import { createApiToken } from '@switchboard/api';
import { Baresip } from '@switchboard/testkit';
import type { ExtensionSpec, PbxHarness } from '../harness.ts';

/** An API token of a new administrator of the harness's organisation. */
export async function adminToken(pbx: PbxHarness, email: string): Promise<string> {
  const user = await pbx.repos.users.create({
    tenantId: pbx.tenant.id,
    email,
    firstName: 'Ada',
    lastName: 'Admin',
    passwordHash: 'unused',
    role: 'admin',
    emailConfirmed: true,
  });
  return (await createApiToken(pbx.repos, user.id, 'test')).token;
}

/** Starts baresip for `user` sending a `toneHz` sine, adds it to `started`, waits for its REGISTER. */
export async function registeredBaresip(
  pbx: PbxHarness,
  user: Pick<ExtensionSpec, 'number' | 'password'>,
  toneHz: number,
  started: Baresip[],
): Promise<Baresip> {
  const phone = await Baresip.start({
    account: { user: user.number, password: user.password, registrar: pbx.registrar, domain: '127.0.0.1' },
    toneHz,
  });
  started.push(phone);
  await phone.waitForRegistration();
  return phone;
}

/** RTP packets the phone received so far (baresip's audio_debug: RTCP member `rcvd=`). */
export async function rtpReceived(phone: Baresip): Promise<number> {
  const debug = (await phone.command('audio_debug')).data;
  const match = /rcvd=(\d+)/.exec(debug);
  if (!match) throw new Error(`no rcvd= in baresip's audio_debug:\n${debug}`);
  return Number(match[1]);
}
