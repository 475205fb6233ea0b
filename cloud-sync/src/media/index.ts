/** Media that arrive as media-chunk envelopes: the framing, the chunk store, and the FHIR resources a finished file becomes. */
export { parseMediaChunk, frameMediaChunk, MEDIA_CHUNK_MAGIC, MAX_MEDIA_BYTES, MAX_MEDIA_CHUNKS, type MediaChunk, type MediaChunkDescriptor } from './framing.js';
export { MediaStore, MEDIA_FILE, type ChunkOutcome } from './media-store.js';
export { mediaTransaction, mediaResourceIds, binaryIdFor, MEDIA_ID_SYSTEM } from './fhir.js';
