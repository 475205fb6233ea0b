/**
 * The transport-free half of device ingestion: topic grammar, payload validation and unit
 * normalisation, device clock correction, sequence and waveform continuity checks, and the
 * reply a device gets when a message is refused. Nothing here touches MQTT or the store.
 */
export { IngestError, INGEST_ERROR_CODES, INGEST_REASONS, isIngestError } from '../errors.js';
export type { IngestErrorCode, IngestIssue } from '../errors.js';
export { parseTopic, deviceTopic, isWaveformKind, TOPIC_ROOT, DEVICE_ID_PATTERN, MEDIA_ID_PATTERN, WAVEFORM_KINDS, ECG_LEADS, DEVICE_CHANNELS } from './topics.js';
export type { DeviceTopic, DeviceChannel, WaveformKind } from './topics.js';
export { VITALS, VITAL_CODES, resolveVitalCode } from './measurements.js';
export type { VitalCode, VitalDefinition, CanonicalUnit, MdcTerm } from './measurements.js';
export { acceptedUnits, toCanonicalUnit } from './units.js';
export { parseVitalsPayload, RHYTHMS, MAX_MEASUREMENTS, DEFAULT_VITALS_MAX_BYTES } from './vitals.js';
export type { VitalsMessage, Measurement, Rhythm } from './vitals.js';
export type { PayloadContext } from './context.js';
export type { RawPayload } from './json.js';
export { DEFAULT_TIMESTAMP_LIMITS } from './timestamps.js';
export type { TimestampLimits } from './timestamps.js';
export { DeviceClock, DEFAULT_DEVICE_CLOCK_OPTIONS } from './device-clock.js';
export type { DeviceClockOptions, ClockReading } from './device-clock.js';
export { classifySeq, admitSeq, DEFAULT_REPLAY_WINDOW } from './seq.js';
export type { SeqClass } from './seq.js';
export {
  parseWaveformPayload,
  SAMPLE_RATE_MIN_HZ,
  SAMPLE_RATE_MAX_HZ,
  MAX_CHUNK_SAMPLES,
  DEFAULT_WAVEFORM_MAX_BYTES,
} from './waveform.js';
export type { WaveformChunk } from './waveform.js';
export { encodeWaveformBinary, HWF1_MAGIC, HWF1_HEADER_BYTES } from './waveform-binary.js';
export type { WaveformFrame } from './waveform-binary.js';
export { WaveformGapDetector } from './waveform-gaps.js';
export type { ChunkTiming, Continuity, ContinuityReport } from './waveform-gaps.js';
export { rejectionReply } from './reply.js';
export type { RejectionReply } from './reply.js';
