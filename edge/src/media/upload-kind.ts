import { MediaError } from './errors.js';
import { declaredKinds, sniffImageKind } from './image-format.js';

export type MediaKind = 'image' | 'audio';

/** What clients call a WAV file; other audio types (MP3, AAC, ...) are refused. */
const WAV_TYPES = new Set(['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave']);
/** Types that say nothing about the content: the magic bytes decide. */
const UNDECLARED = new Set(['', 'application/octet-stream']);

/**
 * Photo or recording, from the declared type and the first bytes. Image types go to processImage,
 * which checks them against the content itself; here only the audio side and the type family are
 * settled, so a WAV labelled as a photo (or a photo labelled as a WAV) is named a mismatch.
 */
export function mediaKindOf(bytes: Buffer, declaredContentType: string | undefined): MediaKind {
  const essence = (declaredContentType ?? '').split(';')[0]!.trim().toLowerCase();
  const wav = isRiffWave(bytes);
  if (UNDECLARED.has(essence)) return wav ? 'audio' : 'image';
  if (essence.startsWith('image/')) {
    if (wav) throw new MediaError('MEDIA_TYPE_MISMATCH', 'The declared content type does not match the content, which is a WAV recording');
    return 'image';
  }
  if (!WAV_TYPES.has(essence)) throw new MediaError('MEDIA_UNSUPPORTED_TYPE', 'The declared content type is not a supported image or audio type');
  const image = sniffImageKind(bytes);
  if (image) throw new MediaError('MEDIA_TYPE_MISMATCH', `The declared content type does not match the content, which is ${image.toUpperCase()}`);
  return 'audio';
}

/**
 * Refuses a declared type that is never accepted, before any byte has arrived: a device announcing
 * a GIF or an MP3 in its manifest learns it at once instead of after the whole transfer.
 */
export function assertAcceptedType(kind: MediaKind, contentType: string): void {
  if (kind === 'image') {
    declaredKinds(contentType);
    return;
  }
  const essence = contentType.split(';')[0]!.trim().toLowerCase();
  if (!WAV_TYPES.has(essence)) throw new MediaError('MEDIA_UNSUPPORTED_TYPE', 'The declared content type is not a supported audio type; send WAV');
}

function isRiffWave(bytes: Buffer): boolean {
  return bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WAVE';
}
