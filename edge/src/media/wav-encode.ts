import wav from 'node-wav';

/**
 * 16-bit PCM mono WAV for storage. node-wav's encoder is used; its decoder is not, because it
 * rejects WAVE_FORMAT_EXTENSIBLE (what sox and many recorders write for 24-bit and float), needs
 * the data chunk 4-byte aligned for 32-bit samples, and reads past a data chunk that lies about
 * its size; wav-parse.ts and wav-decode.ts do that part.
 */
export function encodePcm16Wav(samples: Float32Array, sampleRate: number): Buffer {
  return wav.encode([samples], { sampleRate, bitDepth: 16 });
}
