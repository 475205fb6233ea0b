import { Hema3nError } from '../../errors.js';

/**
 * Device topics: hema3n/v1/devices/{deviceId}/{channel}[/{kind|mediaId}].
 * Anything else is not ours and is ignored, so the grammar is strict: an identifier that would
 * be unsafe as a file name, a log field or an MQTT wildcard never gets past here.
 */
export const TOPIC_ROOT = 'hema3n/v1/devices';

export const DEVICE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const MEDIA_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export const ECG_LEADS = ['i', 'ii', 'iii', 'avr', 'avl', 'avf', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6'] as const;
export const WAVEFORM_KINDS = [...ECG_LEADS.map((lead) => `ecg-${lead}` as const), 'pleth', 'co2'] as const;
export type WaveformKind = (typeof WAVEFORM_KINDS)[number];

export const DEVICE_CHANNELS = ['vitals', 'waveform', 'media', 'status', 'replies'] as const;
export type DeviceChannel = (typeof DEVICE_CHANNELS)[number];

export type DeviceTopic =
  | { readonly deviceId: string; readonly channel: 'vitals' | 'status' | 'replies' }
  | { readonly deviceId: string; readonly channel: 'waveform'; readonly kind: WaveformKind }
  | { readonly deviceId: string; readonly channel: 'media'; readonly mediaId: string };

const KIND_SET: ReadonlySet<string> = new Set(WAVEFORM_KINDS);

export function isWaveformKind(value: string): value is WaveformKind {
  return KIND_SET.has(value);
}

/** Returns null for any topic outside the grammar (wrong root, wrong depth, bad id or kind). */
export function parseTopic(topic: string): DeviceTopic | null {
  if (!topic.startsWith(`${TOPIC_ROOT}/`)) return null;
  const parts = topic.slice(TOPIC_ROOT.length + 1).split('/');
  const [deviceId, channel, detail, ...rest] = parts;
  if (deviceId === undefined || !DEVICE_ID_PATTERN.test(deviceId) || rest.length > 0) return null;
  if (channel === 'vitals' || channel === 'status' || channel === 'replies') {
    return detail === undefined ? { deviceId, channel } : null;
  }
  if (channel === 'waveform') {
    return detail !== undefined && isWaveformKind(detail) ? { deviceId, channel, kind: detail } : null;
  }
  if (channel === 'media') {
    return detail !== undefined && MEDIA_ID_PATTERN.test(detail) ? { deviceId, channel, mediaId: detail } : null;
  }
  return null;
}

/** The topic for one device channel, e.g. deviceTopic('mon-1', 'waveform/ecg-ii'). */
export function deviceTopic(deviceId: string, suffix: string): string {
  if (!DEVICE_ID_PATTERN.test(deviceId)) {
    throw new Hema3nError('INPUT_INVALID', 'Invalid device id', {
      issues: [{ field: 'deviceId', problem: 'must match ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' }],
    });
  }
  return `${TOPIC_ROOT}/${deviceId}/${suffix}`;
}
