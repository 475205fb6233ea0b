import { MediaError } from './errors.js';
import type { WavLayout } from './wav-parse.js';

type SampleReader = (view: DataView, at: number) => number;

/** Integer PCM is scaled by 2^(bits-1) so full scale maps to [-1, 1) symmetrically for every depth. */
const READERS: Readonly<Record<string, SampleReader>> = {
  pcm8: (view, at) => (view.getUint8(at) - 128) / 128,
  pcm16: (view, at) => view.getInt16(at, true) / 32768,
  pcm24: (view, at) => ((view.getInt8(at + 2) << 16) | (view.getUint8(at + 1) << 8) | view.getUint8(at)) / 8388608,
  pcm32: (view, at) => view.getInt32(at, true) / 2147483648,
  float32: (view, at) => view.getFloat32(at, true),
};

/**
 * Decodes the data chunk straight to mono by averaging the channels (the models take one channel;
 * averaging keeps a voice that is on one side only, at -6 dB).
 */
export function decodeMono(bytes: Buffer, layout: WavLayout): Float32Array {
  const read = READERS[`${layout.encoding === 'float' ? 'float' : 'pcm'}${layout.bitsPerSample}`]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset + layout.dataOffset, layout.dataBytes);
  const bytesPerSample = layout.bitsPerSample / 8;
  const mono = new Float32Array(layout.frames);
  for (let frame = 0; frame < layout.frames; frame++) {
    const at = frame * layout.blockAlign;
    let sum = read(view, at);
    for (let channel = 1; channel < layout.channels; channel++) sum += read(view, at + channel * bytesPerSample);
    mono[frame] = sum / layout.channels;
  }
  if (layout.encoding === 'float') assertFinite(mono);
  return mono;
}

function assertFinite(samples: Float32Array): void {
  for (const sample of samples) {
    if (!Number.isFinite(sample)) throw new MediaError('MEDIA_MALFORMED', 'The float WAV holds NaN or infinite samples');
  }
}
