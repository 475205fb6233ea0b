import { createHash } from 'node:crypto';
import type { Binary, Bundle, BundleEntry, Media } from '@medplum/fhirtypes';
import type { MediaChunkDescriptor } from './framing.js';

/** Ids derived from (appliance, mediaId): a file stored twice lands on the same resources. */
export function mediaResourceIds(applianceId: string, mediaId: string): { binaryId: string; mediaResourceId: string } {
  const digest = createHash('sha256').update(`${applianceId}\n${mediaId}`).digest('hex').slice(0, 40);
  return { binaryId: `bin-${digest}`, mediaResourceId: `med-${digest}` };
}

/** Where a finished file's bytes go: the Binary the appliance's own Media points at, else one the cloud names. */
export function binaryIdFor(applianceId: string, descriptor: MediaChunkDescriptor): string {
  return descriptor.binaryId ?? mediaResourceIds(applianceId, descriptor.mediaId).binaryId;
}

const MEDIA_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/media-type';
export const MEDIA_ID_SYSTEM = 'https://hema3n.dev/fhir/media-id';

/**
 * A finished file as a transaction: the bytes in a Binary, and a Media that says what it is and
 * whose. With a descriptor binaryId the appliance's case bundle carries the Media already, so only
 * the Binary is written: a second Media would make the file appear twice.
 */
export function mediaTransaction(applianceId: string, descriptor: MediaChunkDescriptor, data: Buffer): Bundle {
  const binaryId = binaryIdFor(applianceId, descriptor);
  const binary: Binary = { resourceType: 'Binary', id: binaryId, contentType: descriptor.contentType, data: data.toString('base64') };
  const entry: BundleEntry[] = [{ resource: binary, request: { method: 'PUT', url: `Binary/${binaryId}` } }];
  if (descriptor.binaryId === undefined) {
    const media = mediaResource(applianceId, descriptor, binaryId);
    entry.push({ resource: media, request: { method: 'PUT', url: `Media/${media.id!}` } });
  }
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

function mediaResource(applianceId: string, descriptor: MediaChunkDescriptor, binaryId: string): Media {
  return {
    resourceType: 'Media',
    id: mediaResourceIds(applianceId, descriptor.mediaId).mediaResourceId,
    status: 'completed',
    identifier: [{ system: MEDIA_ID_SYSTEM, value: `${applianceId}/${descriptor.mediaId}` }],
    type: { coding: [{ system: MEDIA_TYPE_SYSTEM, code: descriptor.contentType.split('/')[0]! }] },
    ...(descriptor.subject ? { subject: { reference: descriptor.subject } } : {}),
    ...(descriptor.encounter ? { encounter: { reference: descriptor.encounter } } : {}),
    ...(descriptor.takenAt !== undefined ? { createdDateTime: new Date(descriptor.takenAt).toISOString() } : {}),
    content: { contentType: descriptor.contentType, url: `Binary/${binaryId}`, size: descriptor.totalBytes },
  };
}
