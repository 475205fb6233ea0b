import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { Hema3nError } from '../../src/errors.js';
import {
  DEFAULT_IMAGE_TENSOR_SPEC,
  MediaError,
  processImage,
  type MediaErrorCode,
  type ProcessImageOptions,
} from '../../src/media/index.js';
import { COMMENT_TEXT, jpegSegmentMarkers, jpegWithEverything, photoJpeg, photoLikeRgb, pngHeaderClaiming } from './fixtures.js';

const LIMITS: ProcessImageOptions = { maxBytes: 10 * 1024 * 1024, maxPixels: 40_000_000 };

// 32 x 32 AVIF (HEIF container, AV1 coded) made once with sharp 0.34 `.avif()`: 301 bytes, kept
// inline so the HEIF test runs identically on builds that cannot write HEIF.
const TINY_AVIF = Buffer.from(
  'AAAAHGZ0eXBhdmlmAAAAAG1pZjFhdmlmbWlhZgAAANZtZXRhAAAAAAAAACFoZGxyAAAAAAAAAABwaWN0AAAAAAAAAAAAAAAAAAAAAA5waXRtAAAAAAABAAAAImlsb2MAAAAAREAAAQABAAAAAAD6AAEAAAAAAAAAMwAAACNpaW5mAAAAAAABAAAAFWluZmUCAAAAAAEAAGF2MDEAAAAAVmlwcnAAAAA4aXBjbwAAAAxhdjFDgSACAAAAABRpc3BlAAAAAAAAACAAAAAgAAAAEHBpeGkAAAAAAwgICAAAABZpcG1hAAAAAAAAAAEAAQOBAgMAAAA7bWRhdBIACgg4ET/2EBDQaTIlGAAAAEA6vbb3aV7AWPx/9zMMFFZEcPHJW5+Fp2RKwb7/9TDnfQ==',
  'base64',
);

async function refusal(input: Buffer, options: ProcessImageOptions = LIMITS): Promise<MediaError> {
  const error = await processImage(input, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(MediaError);
  return error as MediaError;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function withGarbledHuffmanTable(jpeg: Buffer): Buffer {
  const garbled = Buffer.from(jpeg);
  const table = garbled.indexOf(Buffer.from([0xff, 0xc4]));
  garbled.fill(0xee, table + 4, table + 30);
  return garbled;
}

describe('metadata stripping', () => {
  let input: Buffer;
  beforeAll(async () => {
    input = await jpegWithEverything(640, 480);
  });

  it('the fixture really carries orientation, EXIF with GPS, XMP, ICC and a comment', async () => {
    const metadata = await sharp(input).metadata();
    expect(metadata.orientation).toBe(6);
    expect(metadata.exif).toBeDefined();
    expect(metadata.exif!.includes(Buffer.from([0x25, 0x88]))).toBe(true); // GPS IFD pointer tag 0x8825, little-endian
    expect(metadata.xmp).toBeDefined();
    expect(metadata.icc).toBeDefined();
    expect(input.includes(Buffer.from(COMMENT_TEXT, 'latin1'))).toBe(true);
    expect(jpegSegmentMarkers(input)).toEqual(expect.arrayContaining([0xe1, 0xe2, 0xfe]));
  });

  it('leaves no EXIF, GPS, XMP, ICC or comment in the stored image nor in the thumbnail', async () => {
    const result = await processImage(input, { ...LIMITS, declaredContentType: 'image/jpeg' });
    for (const jpeg of [result.jpeg, result.thumbnail.jpeg]) {
      const metadata = await sharp(jpeg).metadata();
      expect(metadata.format).toBe('jpeg');
      expect([metadata.exif, metadata.xmp, metadata.icc, metadata.orientation]).toEqual([undefined, undefined, undefined, undefined]);
      // Only JFIF APP0, tables, frame and scan headers remain before the pixel data.
      expect(jpegSegmentMarkers(jpeg).filter((marker) => (marker >= 0xe1 && marker <= 0xef) || marker === 0xfe)).toEqual([]);
      for (const needle of ['Exif\0\0', 'http://ns.adobe.com/xap/1.0/', 'ICC_PROFILE', 'Crew Member', COMMENT_TEXT, 'AmbulanceCam']) {
        expect(jpeg.includes(Buffer.from(needle, 'latin1'))).toBe(false);
      }
      expect(jpeg.includes(Buffer.from([0xff, 0xe1]))).toBe(false);
    }
  });
});

describe('orientation', () => {
  it('applies EXIF orientation 6 to the pixels: a landscape capture comes out portrait, turned clockwise', async () => {
    // 400 x 300 stored; the top-left quarter is red. Orientation 6 means "rotate 90 degrees clockwise to display".
    const width = 400;
    const height = 300;
    const rgb = Buffer.alloc(width * height * 3, 0x30);
    for (let y = 0; y < height / 2; y++) for (let x = 0; x < width / 2; x++) rgb.fill(0, (y * width + x) * 3, (y * width + x) * 3 + 3).writeUInt8(250, (y * width + x) * 3);
    const input = await sharp(rgb, { raw: { width, height, channels: 3 } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();

    const result = await processImage(input, LIMITS);

    expect([result.width, result.height]).toEqual([300, 400]);
    expect(result.source).toEqual({ kind: 'jpeg', width: 400, height: 300 });
    const { data, info } = await sharp(result.jpeg).raw().toBuffer({ resolveWithObject: true });
    const redAt = (x: number, y: number): number => data[(y * info.width + x) * info.channels]!;
    expect(redAt(info.width - 20, 20)).toBeGreaterThan(200); // red is now top-right
    expect(redAt(20, 20)).toBeLessThan(100);
  });
});

describe('outputs', () => {
  it('shrinks a 12 MP photo to 2048 px on the longest side, with a 256 px thumbnail and the sha256 of the stored JPEG', async () => {
    const input = await photoJpeg(4000, 3000);
    const result = await processImage(input, LIMITS);
    expect([result.width, result.height]).toEqual([2048, 1536]);
    expect([result.thumbnail.width, result.thumbnail.height]).toEqual([256, 192]);
    expect(await sharp(result.jpeg).metadata()).toMatchObject({ format: 'jpeg', width: 2048, height: 1536 });
    expect(await sharp(result.thumbnail.jpeg).metadata()).toMatchObject({ format: 'jpeg', width: 256, height: 192 });
    expect(result.sha256).toBe(sha256(result.jpeg));
  });

  it('never enlarges a photo smaller than the stored size', async () => {
    const result = await processImage(await photoJpeg(640, 480), LIMITS);
    expect([result.width, result.height]).toEqual([640, 480]);
  });

  it('builds an NCHW tensor normalised with the ImageNet mean and std by default', async () => {
    const input = await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 255, g: 128, b: 0 } } }).png().toBuffer();
    const { tensor } = await processImage(input, LIMITS);
    const size = DEFAULT_IMAGE_TENSOR_SPEC.size;
    expect(tensor.shape).toEqual([1, 3, size, size]);
    expect(tensor.data).toHaveLength(3 * size * size);
    const expected = [255, 128, 0].map((value, c) => (value / 255 - DEFAULT_IMAGE_TENSOR_SPEC.mean[c]!) / DEFAULT_IMAGE_TENSOR_SPEC.std[c]!);
    for (let c = 0; c < 3; c++) {
      for (const pixel of [0, size * size - 1, (size * size) >> 1]) expect(tensor.data[c * size * size + pixel]).toBeCloseTo(expected[c]!, 1);
    }
  });

  it('follows the tensor spec of the model manifest: side, mean and std', async () => {
    // Left half black, right half white: in the centre-cropped square the same split must appear per plane.
    const rgb = Buffer.alloc(200 * 100 * 3);
    for (let y = 0; y < 100; y++) rgb.fill(255, (y * 200 + 100) * 3, (y * 200 + 200) * 3);
    const input = await sharp(rgb, { raw: { width: 200, height: 100, channels: 3 } }).png().toBuffer();
    const spec = { size: 64, mean: [0.5, 0.5, 0.5] as [number, number, number], std: [0.5, 0.5, 0.5] as [number, number, number] };

    const { tensor } = await processImage(input, { ...LIMITS, tensorSpec: spec });

    expect(tensor.shape).toEqual([1, 3, 64, 64]);
    for (let c = 0; c < 3; c++) {
      const row = 32;
      expect(tensor.data[c * 64 * 64 + row * 64 + 2]).toBeCloseTo(-1, 1);
      expect(tensor.data[c * 64 * 64 + row * 64 + 61]).toBeCloseTo(1, 1);
    }
  });

  it('refuses a tensor spec that no model could mean, as a configuration fault', async () => {
    const spec = { size: 0, mean: [0, 0, 0], std: [0, 1, 1] } as unknown as typeof DEFAULT_IMAGE_TENSOR_SPEC;
    const error = await processImage(await photoJpeg(64, 64), { ...LIMITS, tensorSpec: spec }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Hema3nError);
    expect((error as Hema3nError).code).toBe('CONFIG_INVALID');
    expect((error as Hema3nError).issues.map((issue) => issue.field).sort()).toEqual(['tensorSpec.size', 'tensorSpec.std.0']);
  });
});

describe('accepted formats', () => {
  const rgb = photoLikeRgb(320, 240);
  const raw = { raw: { width: 320, height: 240, channels: 3 as const } };
  const cases: { name: string; contentType: string; make: () => Promise<Buffer> }[] = [
    { name: 'JPEG', contentType: 'image/jpeg', make: () => sharp(rgb, raw).jpeg().toBuffer() },
    { name: 'JPEG declared with the legacy image/jpg', contentType: 'image/jpg', make: () => sharp(rgb, raw).jpeg().toBuffer() },
    { name: 'PNG', contentType: 'image/png', make: () => sharp(rgb, raw).png().toBuffer() },
    { name: '16-bit PNG', contentType: 'image/png', make: () => sharp(rgb, raw).toColourspace('rgb16').png().toBuffer() },
    { name: 'greyscale PNG', contentType: 'image/png', make: () => sharp(rgb, raw).greyscale().png().toBuffer() },
    { name: 'PNG with transparency', contentType: 'image/png', make: () => sharp(rgb, raw).ensureAlpha(0.3).png().toBuffer() },
    { name: 'WebP', contentType: 'image/webp; charset=binary', make: () => sharp(rgb, raw).webp().toBuffer() },
  ];

  it.each(cases)('processes $name into an sRGB JPEG of the same size', async ({ contentType, make }) => {
    const result = await processImage(await make(), { ...LIMITS, declaredContentType: contentType });
    expect([result.width, result.height]).toEqual([320, 240]);
    expect(await sharp(result.jpeg).metadata()).toMatchObject({ format: 'jpeg', channels: 3, space: 'srgb' });
  });

  it('flattens transparency onto white rather than black', async () => {
    const transparent = await sharp({ create: { width: 64, height: 64, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const result = await processImage(transparent, LIMITS);
    const { data } = await sharp(result.jpeg).raw().toBuffer({ resolveWithObject: true });
    expect(Math.min(...data)).toBeGreaterThan(245);
  });

  it(`decodes HEIF/AVIF exactly when this sharp build can (sharp.format.heif.input.buffer is ${sharp.format.heif.input.buffer})`, async () => {
    const outcome = await processImage(TINY_AVIF, { ...LIMITS, declaredContentType: 'image/avif' }).then(
      (result) => ({ decoded: true, size: [result.width, result.height], kind: result.source.kind }),
      (error: unknown) => ({ decoded: false, code: (error as MediaError).code }),
    );
    if (sharp.format.heif.input.buffer) expect(outcome).toEqual({ decoded: true, size: [32, 32], kind: 'avif' });
    else expect(outcome).toEqual({ decoded: false, code: 'MEDIA_UNSUPPORTED_TYPE' });
  });
});

describe('refused images', () => {
  let jpeg: Buffer;
  let png: Buffer;
  let webp: Buffer;
  beforeAll(async () => {
    const rgb = photoLikeRgb(320, 240);
    const raw = { raw: { width: 320, height: 240, channels: 3 as const } };
    [jpeg, png, webp] = await Promise.all([sharp(rgb, raw).jpeg().toBuffer(), sharp(rgb, raw).png().toBuffer(), sharp(rgb, raw).webp().toBuffer()]);
  });

  const corpus: { name: string; code: MediaErrorCode; status: number; input: () => Buffer | Promise<Buffer>; options?: Partial<ProcessImageOptions> }[] = [
    { name: 'a zero-length file', code: 'MEDIA_EMPTY', status: 400, input: () => Buffer.alloc(0) },
    { name: 'a file over the byte limit', code: 'MEDIA_TOO_LARGE', status: 413, input: () => jpeg, options: { maxBytes: 1000 } },
    { name: 'a JPEG cut off half way', code: 'MEDIA_TRUNCATED', status: 422, input: () => jpeg.subarray(0, jpeg.length >> 1) },
    { name: 'a PNG cut off half way', code: 'MEDIA_TRUNCATED', status: 422, input: () => png.subarray(0, png.length >> 1) },
    { name: 'a WebP cut off half way', code: 'MEDIA_TRUNCATED', status: 422, input: () => webp.subarray(0, webp.length >> 1) },
    { name: 'a text file named .jpg', code: 'MEDIA_UNSUPPORTED_TYPE', status: 400, input: () => Buffer.from('Handover notes: BP 120/80\n'), options: { declaredContentType: 'image/jpeg' } },
    { name: 'a PNG declared as image/jpeg', code: 'MEDIA_TYPE_MISMATCH', status: 400, input: () => png, options: { declaredContentType: 'image/jpeg' } },
    { name: 'a JPEG declared as image/webp', code: 'MEDIA_TYPE_MISMATCH', status: 400, input: () => jpeg, options: { declaredContentType: 'image/webp' } },
    { name: 'a declared type that is never taken (image/gif)', code: 'MEDIA_UNSUPPORTED_TYPE', status: 400, input: () => jpeg, options: { declaredContentType: 'image/gif' } },
    { name: 'an undeclared GIF', code: 'MEDIA_UNSUPPORTED_TYPE', status: 400, input: () => sharp({ create: { width: 32, height: 32, channels: 3, background: '#888' } }).gif().toBuffer() },
    { name: 'a 1 x 100000 px PNG', code: 'MEDIA_DIMENSIONS_INVALID', status: 422, input: () => sharp({ create: { width: 1, height: 100_000, channels: 3, background: '#888' } }).png().toBuffer() },
    { name: 'an 8 x 8 px JPEG', code: 'MEDIA_DIMENSIONS_INVALID', status: 422, input: () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).jpeg().toBuffer() },
    { name: 'a PNG header claiming 30000 x 30000 px (decompression bomb)', code: 'MEDIA_PIXEL_LIMIT', status: 413, input: () => pngHeaderClaiming(30_000, 30_000) },
    { name: 'a real image just over a lowered pixel limit', code: 'MEDIA_PIXEL_LIMIT', status: 413, input: () => jpeg, options: { maxPixels: 320 * 240 - 1 } },
    { name: 'a JPEG whose Huffman table is garbage', code: 'MEDIA_MALFORMED', status: 422, input: () => withGarbledHuffmanTable(jpeg) },
    { name: 'a JPEG with two start-of-image markers', code: 'MEDIA_MALFORMED', status: 422, input: () => Buffer.concat([jpeg.subarray(0, 2), jpeg]) },
  ];

  it.each(corpus)('refuses $name with $code', async ({ input, options, code, status }) => {
    const error = await refusal(await input(), { ...LIMITS, ...options });
    expect({ code: error.code, status: error.status }).toEqual({ code, status });
    expect(error.fix.length).toBeGreaterThan(0);
  });

  it('refuses the 30000 x 30000 header before decoding, naming the pixel count and not the content', async () => {
    const error = await refusal(pngHeaderClaiming(30_000, 30_000));
    expect(error.message).toBe('The image is 30000 x 30000 pixels; the limit is 40000000 pixels');
  });
});
