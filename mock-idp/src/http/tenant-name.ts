import type { IdpContext } from '../context.ts';

/** A tenant's name as the pages show it (the login page, the portal): its id when it has none. */
export const tenantName = (ctx: Pick<IdpContext, 'store'>, tenantId: string): string =>
  ctx.store.tenants.get(tenantId)?.name ?? tenantId;
