/**
 * Device ingestion: the embedded MQTT broker, device authentication and ACLs, payload validation
 * (payloads/), durable acknowledgement through the store's group commit, and the accepted-data
 * events the clinical engine and the tablet's live stream consume.
 */
export { IngestPart, type BrokerSettings, type IngestDependencies } from './broker.js';
export { IngestEvents, type VitalsAccepted, type WaveformAccepted, type DeviceStatusChanged } from './events.js';
export * from './payloads/index.js';
