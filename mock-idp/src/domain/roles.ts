/**
 * Data Hub tenant roles. Applications never see role names: tokens and userinfo carry `role_type` claims holding
 * role ids (AVEVA's sample libraries' role constants; Grafana's documented Data Hub setup reads `role_type` from
 * userinfo). Seeds and the portal name roles; this is the one place a name becomes an id.
 */
export const tenantRoles = {
  'Tenant Administrator': '2dc742ab-39ea-4fc0-a39e-2bcb71c26a5f',
  'Tenant Contributor': 'f1439595-e5a2-487f-8a4f-0627fefe75df',
  'Tenant Data Steward': '45b66433-5f57-420b-bbdf-8bbd60c1cd9d',
  'Tenant Member': '7ad2b9ef-5386-4ead-ac9f-ad99c5c5b977',
  'Tenant Viewer': 'e6cbf91e-0be8-4858-92b5-f88ecafd5574',
} as const;

export type TenantRoleName = keyof typeof tenantRoles;
export const tenantRoleNames = Object.keys(tenantRoles) as [TenantRoleName, ...TenantRoleName[]];
export const tenantAdministrator: TenantRoleName = 'Tenant Administrator';
export const tenantMember: TenantRoleName = 'Tenant Member';

/** The claim type Data Hub uses for role ids. */
export const roleClaim = 'role_type';

export const roleIdsOf = (names: readonly string[]): string[] =>
  names.flatMap((name) => (name in tenantRoles ? [tenantRoles[name as TenantRoleName]] : []));
