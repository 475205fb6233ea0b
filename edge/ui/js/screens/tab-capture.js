/** Capture: a photo from the tablet's camera and voice notes, stored with the case on the appliance. */
import { ApiError, request } from '../api.js';
import { startRecording } from '../components/wav.js';
import { button, clock, h, mount, toast } from '../dom.js';

const UPLOAD_ERRORS = {
  MEDIA_UNSUPPORTED_TYPE: 'This file type is not accepted (photos: JPEG or PNG; use the camera button).',
  MEDIA_TOO_LARGE: 'The file is too large.',
  AUDIO_SILENT: 'The recording is silent: nothing was stored.',
  AUDIO_TOO_LONG: 'The recording is too long.',
};

/** @param {import('./case-shell.js').CaseContext} ctx @param {HTMLElement} host */
export function renderCapture(ctx, host) {
  /** @type {string[]} object URLs to release when leaving the tab */
  const urls = [];
  /** @type {{ stop: () => Promise<Blob>, cancel: () => void } | null} */
  let recording = null;
  let recordStarted = 0;
  /** @type {ReturnType<typeof setInterval> | null} */
  let ticker = null;
  const status = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  const list = h('div', { class: 'media-list', 'data-list': 'media' });
  const recordButton = button('● Record voice note', () => toggleRecording(), { class: 'btn--big btn--block', disabled: ctx.readOnly, 'data-action': 'record-voice' });
  const photoInput = /** @type {HTMLInputElement} */ (h('input', { type: 'file', accept: 'image/*', capture: 'environment', id: 'photo', disabled: ctx.readOnly, 'aria-label': 'Take photo' }));

  /** @param {Blob} file @param {string} name */
  const upload = async (file, name) => {
    const form = new FormData();
    form.append('file', file, name);
    status.textContent = 'Uploading…';
    try {
      await request('POST', `/api/v1/cases/${ctx.caseId}/media`, form);
      status.textContent = `Stored ${clock(Date.now())}`;
      await ctx.refresh();
      void drawList();
    } catch (error) {
      status.textContent = '';
      const code = error instanceof ApiError ? error.code : '';
      toast(UPLOAD_ERRORS[/** @type {keyof typeof UPLOAD_ERRORS} */ (code)] ?? 'Not stored: the appliance refused or did not answer', 'error');
    }
  };

  photoInput.addEventListener('change', () => {
    const file = photoInput.files?.[0];
    if (file) void upload(file, file.name || 'photo.jpg');
    photoInput.value = '';
  });

  async function toggleRecording() {
    if (recording) {
      const active = recording;
      recording = null;
      if (ticker) clearInterval(ticker);
      recordButton.textContent = '● Record voice note';
      status.textContent = 'Encoding…';
      try {
        await upload(await active.stop(), 'voice-note.wav');
      } catch {
        toast('The recording could not be encoded', 'error');
      }
      return;
    }
    try {
      recording = await startRecording();
    } catch {
      toast('No microphone, or the microphone was not allowed', 'error');
      return;
    }
    recordStarted = Date.now();
    recordButton.textContent = '■ Stop and save';
    ticker = setInterval(() => {
      status.textContent = `Recording… ${Math.round((Date.now() - recordStarted) / 1000)} s`;
    }, 500);
  }

  async function drawList() {
    const media = ctx.chart.media ?? [];
    if (media.length === 0) {
      mount(list, h('p', { class: 'muted' }, 'No photos or voice notes yet.'));
      return;
    }
    mount(list, media.map((/** @type {any} */ m) => {
      const item = h('figure', { class: 'media-item', 'data-media': m.kind, style: { margin: '0' } }, h('figcaption', {}, `${m.kind === 'image' ? 'Photo' : 'Voice note'} · ${clock(m.createdAt)}`));
      void attach(item, m);
      return item;
    }));
  }

  /** @param {HTMLElement} item @param {any} m */
  async function attach(item, m) {
    try {
      const { data } = await request('GET', m.kind === 'image' ? `/api/v1/media/${m.id}/thumbnail` : `/api/v1/media/${m.id}`);
      const url = URL.createObjectURL(/** @type {Blob} */ (data));
      urls.push(url);
      item.prepend(m.kind === 'image' ? h('img', { src: url, alt: `Photo taken at ${clock(m.createdAt)}` }) : h('audio', { controls: true, src: url, 'aria-label': `Voice note recorded at ${clock(m.createdAt)}` }));
    } catch {
      item.prepend(h('p', { class: 'muted' }, 'Not available'));
    }
  }

  mount(host, h('h1', { class: 'sr-only' }, 'Capture'), h('div', { class: 'grid-2' },
    h('section', { class: 'panel stack', 'aria-labelledby': 'photo-h' },
      h('h2', { id: 'photo-h' }, 'Photo'),
      h('p', { class: 'muted' }, 'Scene, wound, medication packaging or an ECG printout. Stored encrypted on the appliance only.'),
      h('label', { class: 'btn btn--primary btn--big btn--block file-button', for: 'photo' }, 'Take photo', photoInput)),
    h('section', { class: 'panel stack', 'aria-labelledby': 'voice-h' },
      h('h2', { id: 'voice-h' }, 'Voice note'),
      h('p', { class: 'muted' }, 'Hands busy? Say it instead of typing it.'),
      recordButton),
  ), status, h('h2', {}, 'In this case'), list);
  void drawList();

  return () => {
    recording?.cancel();
    if (ticker) clearInterval(ticker);
    urls.forEach((u) => URL.revokeObjectURL(u));
  };
}
