import type { FastifyInstance } from 'fastify';
import type { LiveEvent, LiveEvents } from '../monitor/index.js';
import type { Store } from '../store/index.js';

interface Presence {
  online: boolean;
  at: number;
}

/** Never a case id, so the subscription carries only the appliance-wide device events. */
const DEVICE_EVENTS_ONLY = 'devices';

/**
 * Registered devices and whether each is connected now, for the tablet's device panel and for
 * technicians (no PHI). Presence follows the broker's connect and disconnect events from the
 * moment the API starts; a device that has not been heard from since shows as offline.
 */
export function registerDeviceRoutes(app: FastifyInstance, deps: { store: Store; live: LiveEvents }): void {
  const presence = new Map<string, Presence>();
  const unsubscribe = deps.live.subscribe(DEVICE_EVENTS_ONLY, (event: LiveEvent) => {
    if (event.type === 'device') presence.set(event.deviceId, { online: event.online, at: event.at });
  });
  app.addHook('onClose', async () => unsubscribe());

  app.get('/api/v1/devices', async () =>
    deps.store.devices.list().map((d) => ({
      id: d.id,
      kind: d.kind,
      revoked: d.revokedAt !== null,
      online: d.revokedAt === null && (presence.get(d.id)?.online ?? false),
      changedAt: presence.get(d.id)?.at ?? null,
    })),
  );
}
