import sharp from 'sharp';
import { MediaError } from './errors.js';

/** Image kinds told apart by their first bytes. AVIF is a HEIF profile but declared separately by clients. */
export type ImageKind = 'jpeg' | 'png' | 'webp' | 'heif' | 'avif';

const DECLARED_KINDS: Readonly<Record<string, readonly ImageKind[]>> = {
  'image/jpeg': ['jpeg'],
  'image/jpg': ['jpeg'],
  'image/pjpeg': ['jpeg'],
  'image/png': ['png'],
  'image/webp': ['webp'],
  'image/heic': ['heif'],
  'image/heif': ['heif', 'avif'],
  'image/avif': ['avif'],
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

/** What the bytes are, from magic numbers alone; undefined when not an image kind we take. */
export function sniffImageKind(bytes: Buffer): ImageKind | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (ascii(bytes, 4, 8) === 'ftyp') return heifFamily(bytes);
  return undefined;
}

/** ISO-BMFF brands: the major brand alone is not enough (mif1 files name avif or heic as compatible). */
function heifFamily(bytes: Buffer): ImageKind | undefined {
  const boxSize = Math.min(bytes.readUInt32BE(0), bytes.length);
  const brands = [ascii(bytes, 8, 12)];
  for (let at = 16; at + 4 <= boxSize; at += 4) brands.push(ascii(bytes, at, at + 4));
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return 'avif';
  if (brands.some((brand) => HEIF_BRANDS.has(brand))) return 'heif';
  return undefined;
}

/** Declared content type → kinds it may hold; refuses types we never take. */
export function declaredKinds(contentType: string): readonly ImageKind[] {
  const essence = contentType.split(';')[0]!.trim().toLowerCase();
  const kinds = DECLARED_KINDS[essence];
  if (!kinds) throw new MediaError('MEDIA_UNSUPPORTED_TYPE', 'The declared content type is not a supported image type');
  return kinds;
}

/** HEIF and AVIF depend on the libheif that sharp was built with. */
export function heifDecodingAvailable(): boolean {
  return sharp.format.heif.input.buffer;
}

/**
 * Cheap container checks that catch a cut-off upload before the decoder does: libspng reports a
 * truncated PNG only as a generic read error, and a short WebP would otherwise read as malformed.
 */
export function assertContainerComplete(kind: ImageKind, bytes: Buffer): void {
  const complete = kind === 'png' ? pngReachesEnd(bytes) : kind === 'webp' ? riffLengthFits(bytes) : true;
  if (!complete) throw new MediaError('MEDIA_TRUNCATED', `The ${kind.toUpperCase()} file ends before its last chunk`);
}

function pngReachesEnd(bytes: Buffer): boolean {
  let at = PNG_SIGNATURE.length;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = ascii(bytes, at + 4, at + 8);
    at += 12 + length;
    if (at > bytes.length) return false;
    if (type === 'IEND') return true;
  }
  return false;
}

function riffLengthFits(bytes: Buffer): boolean {
  return bytes.length >= 12 && bytes.readUInt32LE(4) + 8 <= bytes.length;
}

function ascii(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('latin1', start, Math.min(end, bytes.length));
}
