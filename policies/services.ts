/**
 * Service principals (DESIGN §2): client-credentials tokens whose `cid` is listed here. A client
 * not listed gets nothing.
 */

export const SERVICE_ROLES = ['dashboard'] as const;
export type ServiceRole = (typeof SERVICE_ROLES)[number];

export interface ServiceDefinition {
  readonly roles: readonly ServiceRole[];
  readonly description: string;
}

/** The aggregate floor for dashboards: buckets smaller than this are suppressed. */
export const DASHBOARD_MIN_BUCKET_SIZE = 5;

export const SERVICES: Readonly<Record<string, ServiceDefinition>> = Object.freeze({
  'dashboard-service': {
    roles: ['dashboard'],
    description: 'Dashboards: aggregates over published internal reports only, buckets of at least 5.',
  },
});

export function serviceRoles(clientId: string): ServiceRole[] {
  return Object.hasOwn(SERVICES, clientId) ? [...(SERVICES[clientId]?.roles ?? [])] : [];
}
