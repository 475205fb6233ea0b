/**
 * A reference for bench/ingest: aedes alone with the per-message work that needs neither the
 * database nor a device session (topic grammar, payload validation and unit normalisation).
 * Prints its port on stdout, runs until killed.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import { parseTopic, parseVitalsPayload } from '../../edge/src/ingest/index.js';

const broker = await Aedes.createBroker({
  authorizePublish: (_client, packet, done) => {
    const topic = parseTopic(packet.topic);
    if (topic?.channel === 'vitals') parseVitalsPayload(packet.payload as Buffer, { receivedAt: Date.now() });
    done(null);
  },
});
const server = createServer(broker.handle);
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
