import { createHash } from 'node:crypto';
import type { Binary, Bundle, Media } from '@medplum/fhirtypes';
import type { MediaChunkDescriptor } from './framing.js';

/** Ids derived from (appliance, mediaId): a file stored twice lands on the same resources. */
export function mediaResourceIds(applianceId: string, mediaId: string): { binaryId: string; mediaResourceId: string } {
  const digest = createHash('sha256').update(`${applianceId}\n${mediaId}`).digest('hex').slice(0, 40);
  return { binaryId: `bin-${digest}`, mediaResourceId: `med-${digest}` };
}

const MEDIA_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/media-type';
export const MEDIA_ID_SYSTEM = 'https://hema3n.dev/fhir/media-id';

/** A finished file as a transaction: the bytes in a Binary, and a Media that says what it is and whose. */
export function mediaTransaction(applianceId: string, descriptor: MediaChunkDescriptor, data: Buffer): Bundle {
  const { binaryId, mediaResourceId } = mediaResourceIds(applianceId, descriptor.mediaId);
  const binary: Binary = { resourceType: 'Binary', id: binaryId, contentType: descriptor.contentType, data: data.toString('base64') };
  const media: Media = {
    resourceType: 'Media',
    id: mediaResourceId,
    status: 'completed',
    identifier: [{ system: MEDIA_ID_SYSTEM, value: `${applianceId}/${descriptor.mediaId}` }],
    type: { coding: [{ system: MEDIA_TYPE_SYSTEM, code: descriptor.contentType.split('/')[0]! }] },
    ...(descriptor.subject ? { subject: { reference: descriptor.subject } } : {}),
    ...(descriptor.encounter ? { encounter: { reference: descriptor.encounter } } : {}),
    ...(descriptor.takenAt !== undefined ? { createdDateTime: new Date(descriptor.takenAt).toISOString() } : {}),
    content: { contentType: descriptor.contentType, url: `Binary/${binaryId}`, size: descriptor.totalBytes },
  };
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { resource: binary, request: { method: 'PUT', url: `Binary/${binaryId}` } },
      { resource: media, request: { method: 'PUT', url: `Media/${mediaResourceId}` } },
    ],
  };
}
