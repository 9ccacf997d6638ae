// EXPERIMENT, not a fix: the real server with the two hot spots the PBX benchmarks found taken
// out of the way, to measure what removing them is worth before anyone designs the real fix.
//
//   npx tsx bench/pbx-register.ts --server-entry bench/pbx/what-if-server.ts
//   npx tsx bench/pbx-calls.ts --server-entry 'bench/pbx/what-if-server.ts --what-if=cache'
//
// --what-if=cache,merged (the default: both) chooses what is taken away:
//
// 1. cache: the per-request lookups of tenants and extensions (TenantRepository.findBySipDomain/
//    getDefault, SipAccountRepository.findExtension/findCredentials) and, for calls, of the
//    callee's settings (RecordingRepository.policy, FeatureCodeRepository.list,
//    CallSettingsRepository.findForExtension, VoicemailRepository.mailbox) are memoised
//    forever. CDRs are still written. That is WRONG
//    for a product — a changed password, a disabled extension or a removed tenant would never be
//    seen — and stands in for a cache with proper invalidation.
// 2. merged: UserAgent.isMerged (packages/sip/src/ua/user-agent.ts), the RFC 3261 §8.2.2.2
//    merged-request check, sweeps its map of recent server transactions on every request once it
//    holds 1,024 entries; UDP non-INVITE transactions stay there for Timer J (32 s), so at N
//    requests/s every request walks ~32·N entries. Here the sweep runs only when the map has
//    doubled since the last one (amortised O(1)); the check itself is unchanged.
//
// Started by bench/pbx/switchboard-process.ts with `start --host … --sip-port …` like the CLI.
import {
  CallSettingsRepository,
  FeatureCodeRepository,
  RecordingRepository,
  SipAccountRepository,
  TenantRepository,
  VoicemailRepository,
} from '@switchboard/db';
import { UserAgent } from '@switchboard/sip';
import { loadConfig, startServer } from '@switchboard/server';

type Method = (...args: unknown[]) => Promise<unknown>;

function memoise(prototype: object, names: readonly string[]): void {
  const methods = prototype as Record<string, Method>;
  for (const name of names) {
    const original = methods[name];
    if (typeof original !== 'function') throw new Error(`no method ${name} to memoise`);
    const caches = new WeakMap<object, Map<string, Promise<unknown>>>();
    methods[name] = function (this: object, ...args: unknown[]): Promise<unknown> {
      let cache = caches.get(this);
      if (!cache) caches.set(this, (cache = new Map()));
      const key = args.map(String).join('\u0000');
      let hit = cache.get(key);
      if (!hit) cache.set(key, (hit = original.apply(this, args)));
      return hit;
    };
  }
}

interface Transaction {
  readonly state: string;
}
interface RequestKey {
  readonly callId: string;
  readonly from: { readonly tag?: string | undefined };
  readonly cseq: { readonly seq: number; readonly method: string };
}
interface MergeState {
  readonly recent: Map<string, Transaction>;
  sweepAt?: number;
}

function amortiseMergedCheck(): void {
  (UserAgent.prototype as unknown as Record<string, unknown>).isMerged = function (
    this: MergeState,
    request: RequestKey,
    tx: Transaction,
  ): boolean {
    const key = `${request.callId}\n${request.from.tag ?? ''}\n${request.cseq.seq} ${request.cseq.method}`;
    const other = this.recent.get(key);
    if (other && other !== tx && other.state !== 'Terminated') return true;
    if (this.recent.size >= (this.sweepAt ?? 1024)) {
      for (const [k, t] of this.recent) if (t.state === 'Terminated') this.recent.delete(k);
      this.sweepAt = Math.max(1024, this.recent.size * 2);
    }
    this.recent.set(key, tx);
    return false;
  };
}

const chosen = process.argv.find((a) => a.startsWith('--what-if='))?.slice('--what-if='.length);
const whatIf = new Set((chosen ?? 'cache,merged').split(','));
if (whatIf.has('cache')) {
  memoise(TenantRepository.prototype, ['findBySipDomain', 'getDefault']);
  memoise(SipAccountRepository.prototype, ['findExtension', 'findCredentials']);
  memoise(RecordingRepository.prototype, ['policy']);
  memoise(FeatureCodeRepository.prototype, ['list']);
  memoise(CallSettingsRepository.prototype, ['findForExtension']);
  memoise(VoicemailRepository.prototype, ['mailbox']);
}
if (whatIf.has('merged')) amortiseMergedCheck();

// `start --sip-port 5060 …` → { SIP_PORT: '5060', … }, as the CLI reads its flags.
const overrides: Record<string, string> = {};
const args = process.argv.slice(process.argv.indexOf('start') + 1);
for (let i = 0; i < args.length; i++) {
  const m = /^--([a-z][a-z0-9-]*)$/.exec(args[i]!);
  if (m && args[i + 1] !== undefined) overrides[m[1]!.replace(/-/g, '_').toUpperCase()] = args[++i]!;
}
const server = await startServer(loadConfig(overrides));
const stop = (): void => void server.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
