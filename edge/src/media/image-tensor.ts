import { z } from 'zod';
import { Hema3nError } from '../errors.js';

const channelTriple = z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]);

/** Model input for images, as a model manifest states it: square side and per-channel RGB mean/std on 0..1 pixels. */
export const imageTensorSpecSchema = z.object({
  size: z.number().int().min(16).max(1024),
  mean: channelTriple,
  std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
});

export type ImageTensorSpec = z.infer<typeof imageTensorSpecSchema>;

/** ImageNet statistics at 224 px: what most pretrained vision backbones expect. */
export const DEFAULT_IMAGE_TENSOR_SPEC: ImageTensorSpec = Object.freeze({
  size: 224,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
}) as ImageTensorSpec;

export interface ImageTensor {
  /** NCHW, channels in RGB order, (pixel/255 - mean[c]) / std[c]. */
  data: Float32Array;
  shape: [1, 3, number, number];
}

/** A bad spec comes from the model manifest, not from the crew: a deployment fault. */
export function checkImageTensorSpec(spec: unknown): ImageTensorSpec {
  const parsed = imageTensorSpecSchema.safeParse(spec);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ field: `tensorSpec.${issue.path.join('.')}`, problem: issue.message }));
  throw new Hema3nError('CONFIG_INVALID', 'Image model input spec is invalid', { issues });
}

/** Interleaved 8-bit RGB of size x size → planar normalised float tensor. */
export function rgbToTensor(rgb: Uint8Array, spec: ImageTensorSpec): ImageTensor {
  const plane = spec.size * spec.size;
  const data = new Float32Array(3 * plane);
  for (let channel = 0; channel < 3; channel++) {
    const scale = 1 / (255 * spec.std[channel]!);
    const offset = spec.mean[channel]! / spec.std[channel]!;
    const base = channel * plane;
    for (let pixel = 0; pixel < plane; pixel++) data[base + pixel] = rgb[pixel * 3 + channel]! * scale - offset;
  }
  return { data, shape: [1, 3, spec.size, spec.size] };
}
