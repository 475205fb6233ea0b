import { createHash } from 'node:crypto';
import type { AuditLog } from '../audit/index.js';
import { verifySecret } from '../keys/index.js';
import type { Store } from '../store/index.js';
import { DeviceClock, WaveformGapDetector } from './payloads/index.js';

/** What the broker knows about a connected device for the life of its connection. */
export interface DeviceSession {
  readonly deviceId: string;
  readonly deviceRef: number;
  readonly kind: string;
  readonly clock: DeviceClock;
  /** Highest vitals seq seen, so stale replays are refused without a database read. */
  lastSeq: number | null;
  readonly gaps: Map<string, WaveformGapDetector>;
}

/**
 * CONNECT-time authentication. The Argon2id check runs once per distinct (device, secret);
 * a device that reconnects every few seconds over a flaky link is not rehashed each time, and
 * the cache is dropped when the device is revoked (checked on every CONNECT).
 */
export class DeviceAuthenticator {
  private readonly verified = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
  ) {}

  /** The username is the device id; the client id is free, so a device may hold a publishing and a listening connection. */
  async authenticate(deviceId: string, secret: string): Promise<DeviceSession | undefined> {
    const device = this.store.devices.get(deviceId);
    const hash = device && device.revokedAt === null ? this.store.devices.secretHash(deviceId) : undefined;
    const ok = hash !== undefined && (await this.secretMatches(deviceId, hash, secret));
    if (!device || !ok) {
      this.verified.delete(deviceId);
      this.audit.append({ actor: `device:${deviceId}`, action: 'device.connect.denied', resource: `device/${deviceId}` });
      return undefined;
    }
    this.audit.append({ actor: `device:${deviceId}`, action: 'device.connect', resource: `device/${deviceId}` });
    return {
      deviceId,
      deviceRef: device.ref,
      kind: device.kind,
      clock: new DeviceClock(),
      lastSeq: this.store.devices.lastVitalSeq(device.ref),
      gaps: new Map(),
    };
  }

  private async secretMatches(deviceId: string, hash: string, secret: string): Promise<boolean> {
    const fingerprint = createHash('sha256').update(hash).update('\0').update(secret).digest('hex');
    if (this.verified.get(deviceId) === fingerprint) return true;
    if (!(await verifySecret(hash, secret))) return false;
    this.verified.set(deviceId, fingerprint);
    return true;
  }
}
