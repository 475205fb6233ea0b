import { MediaError } from './errors.js';

export const SUPPORTED_SAMPLE_RATES = [8000, 11025, 16000, 22050, 32000, 44100, 48000] as const;

export type SampleEncoding = 'pcm' | 'float';

/** Where the samples are and how they are coded, after the header has been checked against the file. */
export interface WavLayout {
  encoding: SampleEncoding;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
  dataOffset: number;
  dataBytes: number;
  frames: number;
}

interface FmtFields {
  encoding: SampleEncoding;
  channels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bitsPerSample: number;
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** The 14 bytes that follow the 2-byte format tag in every KSDATAFORMAT_SUBTYPE_* GUID. */
const KSDATAFORMAT_GUID_TAIL = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]);

/**
 * Walks the RIFF structure ourselves: a header that lies about its length (RIFF size, or a data
 * chunk larger than the file) must be refused, and decoders happily read past such lies.
 */
export function parseWav(bytes: Buffer): WavLayout {
  if (bytes.length < 12 || ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 12) !== 'WAVE') {
    throw new MediaError('MEDIA_UNSUPPORTED_TYPE', 'The content is not a WAV (RIFF/WAVE) file');
  }
  const riffEnd = bytes.readUInt32LE(4) + 8;
  if (riffEnd !== bytes.length) {
    throw headerLie(`The RIFF header claims ${riffEnd} bytes but the file has ${bytes.length}`);
  }
  let fmt: FmtFields | undefined;
  let data: { offset: number; size: number } | undefined;
  for (let at = 12; at < bytes.length; ) {
    if (at + 8 > bytes.length) throw headerLie('A chunk header is cut off at the end of the file');
    const id = ascii(bytes, at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    const body = at + 8;
    if (body + size > bytes.length) throw headerLie(`The '${printable(id)}' chunk claims more bytes than the file has`);
    if (id === 'fmt ') fmt = once(fmt, () => readFmt(bytes.subarray(body, body + size)), 'fmt ');
    if (id === 'data') {
      if (!fmt) throw headerLie("The data chunk comes before the 'fmt ' chunk");
      data = once(data, () => ({ offset: body, size }), 'data');
    }
    at = body + size + (size & 1);
  }
  if (!fmt || !data) throw headerLie(`The WAV file has no '${fmt ? 'data' : 'fmt '}' chunk`);
  return layoutOf(fmt, data);
}

function readFmt(chunk: Buffer): FmtFields {
  if (chunk.length < 16) throw headerLie("The 'fmt ' chunk is too short");
  const fields = {
    encoding: encodingOf(chunk),
    channels: chunk.readUInt16LE(2),
    sampleRate: chunk.readUInt32LE(4),
    byteRate: chunk.readUInt32LE(8),
    blockAlign: chunk.readUInt16LE(12),
    bitsPerSample: chunk.readUInt16LE(14),
  };
  assertSupported(fields);
  if (fields.blockAlign !== (fields.channels * fields.bitsPerSample) / 8 || fields.byteRate !== fields.sampleRate * fields.blockAlign) {
    throw headerLie('The block size or byte rate contradicts channels, bits and sample rate');
  }
  return fields;
}

/** WAVE_FORMAT_EXTENSIBLE (what sox writes for 24-bit or float) carries the real format tag in a GUID. */
function encodingOf(chunk: Buffer): SampleEncoding {
  let tag = chunk.readUInt16LE(0);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (chunk.length < 40 || !chunk.subarray(26, 40).equals(KSDATAFORMAT_GUID_TAIL)) {
      throw headerLie('The extensible format block is incomplete or names an unknown sub-format');
    }
    tag = chunk.readUInt16LE(24);
  }
  if (tag === WAVE_FORMAT_PCM) return 'pcm';
  if (tag === WAVE_FORMAT_IEEE_FLOAT) return 'float';
  throw new MediaError('AUDIO_FORMAT_UNSUPPORTED', `WAV sample coding 0x${tag.toString(16)} is not supported (only PCM and float)`);
}

function assertSupported({ encoding, channels, sampleRate, bitsPerSample }: FmtFields): void {
  if (channels === 0) throw headerLie('The WAV header declares zero channels');
  const problems: string[] = [];
  if (channels > 2) problems.push(`${channels} channels (mono or stereo only)`);
  if (!(SUPPORTED_SAMPLE_RATES as readonly number[]).includes(sampleRate)) problems.push(`${sampleRate} Hz`);
  const bitsAllowed = encoding === 'float' ? [32] : [8, 16, 24, 32];
  if (!bitsAllowed.includes(bitsPerSample)) problems.push(`${bitsPerSample}-bit ${encoding}`);
  if (problems.length > 0) throw new MediaError('AUDIO_FORMAT_UNSUPPORTED', `Unsupported WAV format: ${problems.join(', ')}`);
}

function layoutOf(fmt: FmtFields, data: { offset: number; size: number }): WavLayout {
  if (data.size % fmt.blockAlign !== 0) throw headerLie('The data chunk does not hold a whole number of sample frames');
  const frames = data.size / fmt.blockAlign;
  if (frames === 0) throw new MediaError('MEDIA_EMPTY', 'The recording holds no samples');
  const { encoding, channels, sampleRate, bitsPerSample, blockAlign } = fmt;
  return { encoding, channels, sampleRate, bitsPerSample, blockAlign, dataOffset: data.offset, dataBytes: data.size, frames };
}

function once<T>(existing: T | undefined, read: () => T, id: string): T {
  if (existing !== undefined) throw headerLie(`The WAV file has two '${id}' chunks`);
  return read();
}

function headerLie(message: string): MediaError {
  return new MediaError('AUDIO_HEADER_INVALID', message);
}

function ascii(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('latin1', start, end);
}

function printable(id: string): string {
  return id.replace(/[^\x20-\x7e]/g, '?');
}
