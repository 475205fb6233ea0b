// node-wav ships no types; only the encoder is used here (see wav-encode.ts for why not the decoder).
declare module 'node-wav' {
  interface EncodeOptions {
    sampleRate: number;
    bitDepth?: 8 | 16 | 24 | 32;
    float?: boolean;
  }
  interface Decoded {
    sampleRate: number;
    channelData: Float32Array[];
  }
  const wav: {
    encode(channelData: readonly Float32Array[], options: EncodeOptions): Buffer;
    decode(bytes: Uint8Array | ArrayBuffer): Decoded;
  };
  export default wav;
}
