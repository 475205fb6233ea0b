/**
 * Voice notes: the browser records with MediaRecorder (Opus in WebM on Chromium), and the
 * appliance accepts only WAV, so the recording is decoded and re-encoded here as 16 kHz mono
 * 16-bit PCM, the rate the appliance resamples every recording to anyway.
 */
export const WAV_RATE = 16_000;

/**
 * @param {Float32Array} samples mono, -1..1
 * @param {number} sampleRate
 * @returns {ArrayBuffer} a RIFF/WAVE file
 */
export function encodeWav(samples, sampleRate) {
  const bytesPerSample = 2;
  const data = samples.length * bytesPerSample;
  const buffer = new ArrayBuffer(44 + data);
  const view = new DataView(buffer);
  const ascii = (/** @type {number} */ offset, /** @type {string} */ text) => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + data, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * bytesPerSample, true);
  view.setUint16(32, bytesPerSample, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, data, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] ?? 0));
    view.setInt16(44 + i * bytesPerSample, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return buffer;
}

/**
 * Decodes whatever MediaRecorder produced and renders it to 16 kHz mono.
 * @param {Blob} recording
 * @returns {Promise<Blob>} audio/wav
 */
export async function recordingToWav(recording) {
  const decoder = new AudioContext();
  try {
    const decoded = await decoder.decodeAudioData(await recording.arrayBuffer());
    const frames = Math.max(1, Math.ceil(decoded.duration * WAV_RATE));
    const offline = new OfflineAudioContext(1, frames, WAV_RATE);
    const source = offline.createBufferSource();
    source.buffer = decoded;
    source.connect(offline.destination);
    source.start();
    const rendered = await offline.startRendering();
    return new Blob([encodeWav(rendered.getChannelData(0), WAV_RATE)], { type: 'audio/wav' });
  } finally {
    await decoder.close();
  }
}

/**
 * Starts recording from the microphone.
 * @returns {Promise<{ stop: () => Promise<Blob>, cancel: () => void }>} stop resolves with the WAV
 */
export async function startRecording() {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
  const recorder = new MediaRecorder(stream);
  /** @type {Blob[]} */
  const chunks = [];
  recorder.ondataavailable = (event) => {
    if (event.data.size > 0) chunks.push(event.data);
  };
  const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
  recorder.start(250);
  const release = () => stream.getTracks().forEach((t) => t.stop());
  return {
    async stop() {
      recorder.stop();
      await stopped;
      release();
      return recordingToWav(new Blob(chunks, { type: recorder.mimeType }));
    },
    cancel() {
      if (recorder.state !== 'inactive') recorder.stop();
      release();
    },
  };
}
