// Where a request came from, as the PBX needs it (NAT: answer and reach the phone there).
import type { BindingTransport } from '../registrar/binding.ts';

export interface RequestSource {
  readonly transport: BindingTransport;
  readonly remote: { readonly host: string; readonly port: number };
  readonly connectionId: string | undefined;
}
