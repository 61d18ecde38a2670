/**
 * Data Hub's built-in tenant roles by id. Tokens and UserInfo name a user's roles in `role_type` claims holding
 * role ids (as AVEVA's sample libraries' role constants and the Grafana data source's setup describe); the app
 * shows their names. A role the tenant defined itself has an id of its own, shown as it is.
 */
const builtInRoles: Record<string, string> = {
  '2dc742ab-39ea-4fc0-a39e-2bcb71c26a5f': 'Tenant Administrator',
  'f1439595-e5a2-487f-8a4f-0627fefe75df': 'Tenant Contributor',
  '45b66433-5f57-420b-bbdf-8bbd60c1cd9d': 'Tenant Data Steward',
  '7ad2b9ef-5386-4ead-ac9f-ad99c5c5b977': 'Tenant Member',
  'e6cbf91e-0be8-4858-92b5-f88ecafd5574': 'Tenant Viewer',
};

export interface GrantedRole {
  id: string;
  name: string;
}

/** The roles in a `role_type` claim (one id or a list), by name where Data Hub defines them. */
export function grantedRoles(roleType: unknown): GrantedRole[] {
  const ids = (Array.isArray(roleType) ? roleType : [roleType]).filter(
    (id): id is string => typeof id === 'string',
  );
  return ids.map((id) => ({ id, name: builtInRoles[id] ?? `A role of this tenant (${id})` }));
}
