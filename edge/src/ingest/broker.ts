import { createServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Aedes, type AuthenticateError, type Client, type PublishPacket, type Subscription } from 'aedes';
import type { AuditLog } from '../audit/index.js';
import { Hema3nError } from '../errors.js';
import type { Logger, Registry } from '../observability/index.js';
import type { Store } from '../store/index.js';
import { DeviceAuthenticator, type DeviceSession } from './device-sessions.js';
import type { IngestEvents } from './events.js';
import { MediaChunkReceiver, type MediaChunkDependencies } from './media-chunks.js';
import { createIngestMetrics, type IngestMetrics } from './metrics.js';
import { isIngestError, parseTopic, rejectionReply } from './payloads/index.js';
import { IngestPipeline } from './pipeline.js';

export interface BrokerSettings {
  readonly host: string;
  readonly port: number;
  readonly maxPayloadBytes: number;
  readonly tls?: { readonly port: number; readonly certFile: string; readonly keyFile: string } | undefined;
}

export interface IngestDependencies {
  readonly settings: BrokerSettings;
  readonly store: () => Store;
  readonly audit: () => AuditLog;
  readonly events: IngestEvents;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly now: () => number;
  /** Chunked media on media/{mediaId} (docs/MEDIA.md); without it those topics are acknowledged and ignored. */
  readonly media?: Pick<MediaChunkDependencies, 'media' | 'settings'>;
}

const BAD_USERNAME_OR_PASSWORD = 4;

/**
 * The embedded MQTT broker as a lifecycle part. The PUBACK of a QoS 1 publish is gated in
 * authorizePublish: aedes writes the PUBACK before its publish hooks run, so that is the only
 * place where "acknowledged" can still mean "committed".
 */
export class IngestPart {
  readonly name = 'ingest';
  private broker: Aedes | undefined;
  private servers: Server[] = [];
  private bound: { mqtt: number | null; mqtts: number | null } = { mqtt: null, mqtts: null };
  private readonly sessions = new WeakMap<Client, DeviceSession>();
  private readonly metrics: IngestMetrics;
  private pipeline: IngestPipeline | undefined;
  private authenticator: DeviceAuthenticator | undefined;
  private media: MediaChunkReceiver | undefined;

  constructor(private readonly deps: IngestDependencies) {
    this.metrics = createIngestMetrics(deps.metrics);
  }

  get ready(): boolean {
    return this.bound.mqtt !== null;
  }

  get port(): number | null {
    return this.bound.mqtt;
  }

  describe(): Record<string, unknown> {
    return { port: this.bound.mqtt, tlsPort: this.bound.mqtts, clients: this.broker?.connectedClients ?? 0 };
  }

  async start(): Promise<void> {
    const { settings, now } = this.deps;
    this.pipeline = new IngestPipeline(this.deps.store(), this.deps.events, { maxPayloadBytes: settings.maxPayloadBytes }, now);
    this.authenticator = new DeviceAuthenticator(this.deps.store(), this.deps.audit());
    if (this.deps.media) {
      const { store, logger } = this.deps;
      this.media = new MediaChunkReceiver({ ...this.deps.media, store, logger, now, reply: (deviceId, payload) => this.reply(deviceId, payload) });
      this.media.start();
    }
    this.broker = await Aedes.createBroker({
      authenticate: (client, username, password, done) => void this.authenticate(client, username, password, done),
      authorizePublish: (client, packet, done) => void this.authorizePublish(client, packet, done),
      authorizeSubscribe: (client, subscription, done) => this.authorizeSubscribe(client, subscription, done),
      heartbeatInterval: 60_000,
    });
    this.broker.on('clientDisconnect', (client) => this.onDisconnect(client));
    this.bound.mqtt = await this.listen(createServer(this.broker.handle), settings.host, settings.port, 'MQTT');
    if (settings.tls) {
      const tlsServer = createTlsServer({ cert: readFileSync(settings.tls.certFile), key: readFileSync(settings.tls.keyFile) }, this.broker.handle);
      this.bound.mqtts = await this.listen(tlsServer, settings.host, settings.tls.port, 'MQTT over TLS');
    }
  }

  async close(): Promise<void> {
    const broker = this.broker;
    this.broker = undefined;
    this.media?.close();
    // The broker first: it disconnects every client, without which server.close() would wait for them.
    if (broker) await new Promise<void>((resolve) => broker.close(() => resolve()));
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    this.servers = [];
    this.bound = { mqtt: null, mqtts: null };
  }

  private async listen(server: Server, host: string, port: number, what: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (cause) => reject(new Hema3nError('LISTEN_FAILED', `Cannot listen for ${what} on ${host}:${port}`, { cause })));
      server.listen(port, host, () => resolve());
    });
    this.servers.push(server);
    return (server.address() as AddressInfo).port;
  }

  private async authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): Promise<void> {
    const session = username && password ? await this.authenticator!.authenticate(username, password.toString('utf8')) : undefined;
    if (!session) {
      this.metrics.refusedClients.inc({ reason: 'connect' });
      const error = Object.assign(new Error('Bad username or password'), { returnCode: BAD_USERNAME_OR_PASSWORD }) as AuthenticateError;
      return done(error, false);
    }
    this.sessions.set(client, session);
    this.deps.events.emit('status', { deviceId: session.deviceId, online: true, at: this.deps.now() });
    done(null, true);
  }

  private onDisconnect(client: Client): void {
    const session = this.sessions.get(client);
    if (session) this.deps.events.emit('status', { deviceId: session.deviceId, online: false, at: this.deps.now() });
  }

  /**
   * Every publish from a device ends in one of: committed then acknowledged; refused with a
   * reason on the device's replies topic (acknowledged at the protocol level, nothing stored);
   * or, for a topic outside the device's own prefix, audited and disconnected.
   */
  private async authorizePublish(client: Client | null, packet: PublishPacket, done: (error?: Error | null) => void): Promise<void> {
    if (!client) return done(null); // the broker's own will messages
    const session = this.sessions.get(client);
    const topic = parseTopic(packet.topic);
    if (!session || !topic || topic.deviceId !== session.deviceId || topic.channel === 'replies') {
      return this.refuse(session?.deviceId ?? client.id, 'publish', packet.topic, done);
    }
    if (topic.channel === 'status' || (topic.channel === 'media' && !this.media)) return done(null);
    if (topic.channel === 'media') return this.receiveMedia(session.deviceId, topic.mediaId, packet, done);
    const started = performance.now();
    try {
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
      const outcome =
        topic.channel === 'waveform' ? await this.pipeline!.waveform(session, topic.kind, payload) : await this.pipeline!.vitals(session, payload);
      this.metrics.messages.inc({ channel: topic.channel, outcome });
      this.metrics.commitSeconds.observe({ channel: topic.channel }, (performance.now() - started) / 1000);
      done(null);
    } catch (error) {
      if (!isIngestError(error)) {
        // Not committed (e.g. the disk is full): no PUBACK, the device keeps the sample and resends.
        this.deps.logger.error({ err: error, device: session.deviceId }, 'device message not stored');
        return done(new Error('not stored'));
      }
      this.metrics.messages.inc({ channel: topic.channel, outcome: 'rejected' });
      this.metrics.rejections.inc({ code: error.code });
      this.reply(session.deviceId, rejectionReply(error, { topic: packet.topic, now: this.deps.now() }));
      done(null);
    }
  }

  /** Refusals are replied and acknowledged; a chunk that could not be staged gets no PUBACK, so the device resends it. */
  private async receiveMedia(deviceId: string, mediaId: string, packet: PublishPacket, done: (error?: Error | null) => void): Promise<void> {
    try {
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
      const outcome = await this.media!.receive(deviceId, mediaId, payload);
      this.metrics.messages.inc({ channel: 'media', outcome });
      done(null);
    } catch (error) {
      this.deps.logger.error({ err: error, device: deviceId, mediaId }, 'device media not stored');
      done(new Error('not stored'));
    }
  }

  private authorizeSubscribe(client: Client, subscription: Subscription, done: (error: Error | null, subscription?: Subscription | null) => void): void {
    const session = this.sessions.get(client);
    if (session && subscription.topic === `hema3n/v1/devices/${session.deviceId}/replies`) return done(null, subscription);
    this.metrics.refusedClients.inc({ reason: 'subscribe' });
    this.deps.audit().append({ actor: `device:${session?.deviceId ?? client.id}`, action: 'mqtt.subscribe.denied', resource: 'mqtt/topic' });
    done(null, null); // SUBACK failure; the connection stays up
  }

  private refuse(deviceId: string, what: 'publish', topic: string, done: (error?: Error | null) => void): void {
    this.metrics.refusedClients.inc({ reason: what });
    this.deps.audit().append({ actor: `device:${deviceId}`, action: `mqtt.${what}.denied`, resource: 'mqtt/topic', reason: topic.slice(0, 200) });
    done(new Error(`${what} not allowed on this topic`));
  }

  private reply(deviceId: string, payload: string): void {
    this.broker?.publish(
      { cmd: 'publish', topic: `hema3n/v1/devices/${deviceId}/replies`, payload: Buffer.from(payload), qos: 1, retain: false, dup: false },
      () => {},
    );
  }
}
