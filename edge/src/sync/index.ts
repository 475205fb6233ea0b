/**
 * Store-and-forward to the cloud: the outbox and per-case vitals watermarks become signed,
 * encrypted envelopes of FHIR transaction bundles; a case is done only when its receipts verify.
 * Then the bytes of its photos and recordings follow as media-chunk envelopes, resumable per chunk.
 */
export { SyncPart, type SyncSettings } from './sync-part.js';
export { SyncWorker, type SyncPassReport } from './worker.js';
export { CloudClient, CloudRejection, type CloudEndpoint } from './cloud-client.js';
export { Backoff } from './backoff.js';
export { planChunks, chunkRange, sharedDescriptor, DEFAULT_MEDIA_CHUNK_BYTES, type ChunkPlan, type SharedDescriptor } from './media-plan.js';
