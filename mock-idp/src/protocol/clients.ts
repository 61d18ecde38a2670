/** The protocol side's view of clients: the version in effect now. */
import type { IdpContext } from '../context.ts';
import { usableClient } from '../domain/client-propagation.ts';
import type { Client } from '../domain/model.ts';

export const clientFor = (ctx: Pick<IdpContext, 'clock' | 'store'>, clientId: string): Client | null =>
  usableClient(ctx.store.clients.get(clientId), ctx.clock.now());
