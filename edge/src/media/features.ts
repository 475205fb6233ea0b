import sharp from 'sharp';
import { checkImageTensorSpec, DEFAULT_IMAGE_TENSOR_SPEC, rgbToTensor, type ImageTensor, type ImageTensorSpec } from './image-tensor.js';

/**
 * The model tensor of a stored (normalised, sRGB, metadata-free) JPEG: the same transform as
 * processImage (shorter side to `size`, centre crop, mean/std), applied to the stored pixels. It
 * differs from the tensor made at upload only by the JPEG quantisation of the stored copy.
 */
export async function imageTensorFromStored(jpeg: Buffer, spec: ImageTensorSpec = DEFAULT_IMAGE_TENSOR_SPEC): Promise<ImageTensor> {
  const checked = checkImageTensorSpec(spec);
  const rgb = await sharp(jpeg).removeAlpha().resize({ width: checked.size, height: checked.size, fit: 'cover', position: 'centre' }).raw().toBuffer();
  return rgbToTensor(rgb, checked);
}
