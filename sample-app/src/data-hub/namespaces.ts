/**
 * Calls the AVEVA Data Hub REST API with the user's access token:
 * `GET {API_BASE_URL}/api/v1/Tenants/{tenantId}/Namespaces`, `Authorization: Bearer {access token}`.
 */

/** The fields of a Data Hub Namespace this app shows (the API returns more: Self, Owner, AccessControl...). */
export interface Namespace {
  Id: string;
  Region?: string;
  Description?: string;
  /** NamespaceProvisioningState: 0 Creating, 1 Active, 2 Deleting, 3 Deleted, 4 Suspended. */
  State?: number;
}

export const namespaceStates = ['Creating', 'Active', 'Deleting', 'Deleted', 'Suspended'] as const;

export class DataHubApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`Data Hub API answered ${status}: ${reason}`);
  }
}

export async function listNamespaces(
  apiBaseUrl: string,
  tenantId: string,
  accessToken: string,
  timeoutSeconds: number,
): Promise<Namespace[]> {
  const url = `${apiBaseUrl}/api/v1/Tenants/${encodeURIComponent(tenantId)}/Namespaces`;
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    signal: AbortSignal.timeout(timeoutSeconds * 1000),
  });
  const text = await response.text();
  if (!response.ok) throw new DataHubApiError(response.status, reasonFrom(text) ?? response.statusText);
  const body: unknown = safeJson(text);
  if (!Array.isArray(body) || !body.every((item) => typeof (item as Namespace)?.Id === 'string')) {
    throw new DataHubApiError(502, 'the API answered with something that is not a list of namespaces');
  }
  return body as Namespace[];
}

/** Data Hub error bodies carry `Reason` (and `Resolution`); keep the message short and free of tokens. */
function reasonFrom(text: string): string | null {
  const body = safeJson(text) as { Reason?: unknown; error_description?: unknown } | null;
  const reason = body?.Reason ?? body?.error_description;
  return typeof reason === 'string' ? reason.slice(0, 300) : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
