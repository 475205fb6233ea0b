import sharp, { type Metadata } from 'sharp';
import { sha256Hex } from './digest.js';
import { MediaError } from './errors.js';
import { assertContainerComplete, declaredKinds, heifDecodingAvailable, sniffImageKind, type ImageKind } from './image-format.js';
import { checkImageTensorSpec, DEFAULT_IMAGE_TENSOR_SPEC, rgbToTensor, type ImageTensor, type ImageTensorSpec } from './image-tensor.js';

export interface ImageLimits {
  maxBytes: number;
  /** Width x height read from the header; refused before any pixel is decoded. */
  maxPixels: number;
}

export interface ProcessImageOptions extends ImageLimits {
  declaredContentType?: string;
  tensorSpec?: ImageTensorSpec;
}

export interface EncodedImage {
  jpeg: Buffer;
  width: number;
  height: number;
}

export interface ProcessedImage extends EncodedImage {
  /** sha256 (hex) of `jpeg`, the normalised image that is stored. */
  sha256: string;
  thumbnail: EncodedImage;
  tensor: ImageTensor;
  /** What arrived: kind by magic bytes and the header size (before orientation). */
  source: { kind: ImageKind; width: number; height: number };
}

/** 48 MP phone sensors fit; a 30000 x 30000 "bomb" does not. */
export const DEFAULT_IMAGE_LIMITS: ImageLimits = Object.freeze({ maxBytes: 25 * 1024 * 1024, maxPixels: 50_000_000 });

export const NORMALISED_LONGEST_SIDE = 2048;
export const THUMBNAIL_LONGEST_SIDE = 256;
/** Below this, or more elongated than this, it is not a clinical photo (and would break the thumbnail). */
export const MIN_IMAGE_SIDE = 16;
export const MAX_ASPECT_RATIO = 20;

const NORMALISED_QUALITY = 85;
const THUMBNAIL_QUALITY = 80;
/** 'truncated' refuses cut-off files but tolerates the harmless warnings phone encoders produce. */
const FAIL_ON = 'truncated';
const WHITE = { r: 255, g: 255, b: 255 };

/**
 * Validates an uploaded photo and derives what is stored and what the model sees. Every metadata
 * block (EXIF with GPS, XMP, ICC, comments) is left behind because the outputs are re-encoded from
 * bare pixels; orientation is applied to the pixels first so nothing depends on the EXIF tag.
 */
export async function processImage(input: Buffer, options: ProcessImageOptions): Promise<ProcessedImage> {
  const tensorSpec = checkImageTensorSpec(options.tensorSpec ?? DEFAULT_IMAGE_TENSOR_SPEC);
  const kind = identifyImage(input, options);
  assertContainerComplete(kind, input);
  const header = await readHeader(input, kind);
  assertDimensions(header, options.maxPixels);
  const pixels = await decodeOriented(input, options.maxPixels);
  const [normalised, thumbnail, tensorRgb] = await Promise.all([
    encodeJpeg(pixels, NORMALISED_QUALITY),
    encodeJpeg(pixels, THUMBNAIL_QUALITY, THUMBNAIL_LONGEST_SIDE),
    squareRgb(pixels, tensorSpec.size),
  ]);
  return {
    ...normalised,
    sha256: sha256Hex(normalised.jpeg),
    thumbnail,
    tensor: rgbToTensor(tensorRgb, tensorSpec),
    source: { kind, width: header.width, height: header.height },
  };
}

function identifyImage(input: Buffer, options: ProcessImageOptions): ImageKind {
  if (input.length === 0) throw new MediaError('MEDIA_EMPTY', 'The image is empty');
  if (input.length > options.maxBytes) {
    throw new MediaError('MEDIA_TOO_LARGE', `The image is ${input.length} bytes; the limit is ${options.maxBytes}`);
  }
  const accepted = options.declaredContentType === undefined ? undefined : declaredKinds(options.declaredContentType);
  const kind = sniffImageKind(input);
  if (!kind) throw new MediaError('MEDIA_UNSUPPORTED_TYPE', 'The content is not a JPEG, PNG, WebP or HEIF/AVIF image');
  if (accepted && !accepted.includes(kind)) {
    throw new MediaError('MEDIA_TYPE_MISMATCH', `The declared content type does not match the content, which is ${kind.toUpperCase()}`);
  }
  if ((kind === 'heif' || kind === 'avif') && !heifDecodingAvailable()) {
    throw new MediaError('MEDIA_UNSUPPORTED_TYPE', 'This appliance cannot decode HEIF/AVIF images; send JPEG');
  }
  return kind;
}

/** Header only: libvips reads dimensions without decoding, so the pixel limit is not yet enforced here. */
async function readHeader(input: Buffer, kind: ImageKind): Promise<{ width: number; height: number }> {
  let metadata: Metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (cause) {
    throw decodeFailure(cause);
  }
  const expected = kind === 'avif' ? 'heif' : kind;
  if (metadata.format !== expected || !metadata.width || !metadata.height) {
    throw new MediaError('MEDIA_MALFORMED', `The ${kind.toUpperCase()} header is not readable`);
  }
  return { width: metadata.width, height: metadata.height };
}

function assertDimensions({ width, height }: { width: number; height: number }, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new MediaError('MEDIA_PIXEL_LIMIT', `The image is ${width} x ${height} pixels; the limit is ${maxPixels} pixels`);
  }
  const shortest = Math.min(width, height);
  if (shortest < MIN_IMAGE_SIDE || Math.max(width, height) / shortest > MAX_ASPECT_RATIO) {
    throw new MediaError('MEDIA_DIMENSIONS_INVALID', `An image of ${width} x ${height} pixels is not a usable photo`);
  }
}

interface RawRgb {
  data: Buffer;
  width: number;
  height: number;
}

/** One decode, already shrunk to the stored size; the smaller outputs are derived from these pixels. */
async function decodeOriented(input: Buffer, maxPixels: number): Promise<RawRgb> {
  try {
    const { data, info } = await sharp(input, { failOn: FAIL_ON, limitInputPixels: maxPixels })
      .rotate()
      .resize({ width: NORMALISED_LONGEST_SIDE, height: NORMALISED_LONGEST_SIDE, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: WHITE })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return { data, width: info.width, height: info.height };
  } catch (cause) {
    throw decodeFailure(cause);
  }
}

function fromRaw(pixels: RawRgb): sharp.Sharp {
  return sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 3 } });
}

async function encodeJpeg(pixels: RawRgb, quality: number, longestSide?: number): Promise<EncodedImage> {
  let pipeline = fromRaw(pixels);
  if (longestSide) pipeline = pipeline.resize({ width: longestSide, height: longestSide, fit: 'inside', withoutEnlargement: true });
  const { data, info } = await pipeline.jpeg({ quality, mozjpeg: true }).toBuffer({ resolveWithObject: true });
  return { jpeg: data, width: info.width, height: info.height };
}

/** Shorter side scaled to `size`, centre cropped: the usual evaluation transform of vision models. */
async function squareRgb(pixels: RawRgb, size: number): Promise<Buffer> {
  return fromRaw(pixels).resize({ width: size, height: size, fit: 'cover', position: 'centre' }).raw().toBuffer();
}

function decodeFailure(cause: unknown): MediaError {
  const message = cause instanceof Error ? cause.message : String(cause);
  if (/premature end|truncated|unexpected end|end of (stream|file|data)/i.test(message)) {
    return new MediaError('MEDIA_TRUNCATED', 'The image ends before its pixel data does', { cause });
  }
  if (/pixel limit/i.test(message)) return new MediaError('MEDIA_PIXEL_LIMIT', 'The image has too many pixels', { cause });
  if (/unsupported (codec|feature)|no decoder|plugin/i.test(message)) {
    return new MediaError('MEDIA_UNSUPPORTED_TYPE', 'This appliance cannot decode the coding used inside this image', { cause });
  }
  return new MediaError('MEDIA_MALFORMED', 'The image cannot be decoded', { cause });
}
