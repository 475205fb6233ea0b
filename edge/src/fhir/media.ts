import { createHash } from 'node:crypto';
import type { Binary, Media } from '@medplum/fhirtypes';
import type { MappingContext } from './context.js';
import type { SnapshotMedia } from './snapshot.js';
import { MEDIA_TYPE, URI_IDENTIFIER } from './systems.js';
import { instant } from './time.js';

/** The files whose bytes are in the snapshot, base64 in the bundle. */
export function binaries(ctx: MappingContext): Binary[] {
  return ctx.snapshot.media.flatMap((item) =>
    item.data ? [{ resourceType: 'Binary', id: ctx.ids.id('Binary', item.id), contentType: item.contentType, data: item.data.toString('base64') }] : [],
  );
}

/**
 * Photos and recordings as Media. content.url points at the Binary with the deterministic id
 * whether or not the bytes are in this bundle, so a server can join a file that travelled as media
 * chunks. The SHA-256 is an `ni:` URI identifier (RFC 6920); Attachment.hash is SHA-1 by R4 rule,
 * so it is set only when the bytes are here to hash.
 */
export function mediaResources(ctx: MappingContext): Media[] {
  return ctx.snapshot.media.map((item) => ({
    resourceType: 'Media',
    id: ctx.ids.id('Media', item.id),
    identifier: [{ system: URI_IDENTIFIER, value: niSha256(item.sha256) }],
    status: 'completed',
    type: { coding: [{ system: MEDIA_TYPE, code: item.kind, display: item.kind === 'image' ? 'Image' : 'Audio' }] },
    subject: ctx.patient,
    encounter: ctx.encounter,
    createdDateTime: instant(item.createdAt),
    content: {
      contentType: item.contentType,
      url: `Binary/${ctx.ids.id('Binary', item.id)}`,
      size: item.bytes,
      ...(item.data ? { hash: createHash('sha1').update(item.data).digest('base64') } : {}),
      creation: instant(item.createdAt),
    },
  }));
}

/** RFC 6920 named-information URI of a SHA-256 digest: ni:///sha-256;<base64url, no padding>. */
function niSha256(hex: SnapshotMedia['sha256']): string {
  return `ni:///sha-256;${Buffer.from(hex, 'hex').toString('base64url')}`;
}
