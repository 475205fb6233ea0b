import type { Bundle } from '@medplum/fhirtypes';
import { CloudError } from '../errors.js';
import type { DispatchBoard } from '../dispatch/index.js';
import { checkTransactionBundle, type FhirRepository } from '../fhir-store/index.js';
import { binaryIdFor, mediaTransaction, parseMediaChunk, type MediaStore } from '../media/index.js';
import type { PayloadKind } from '../wire/index.js';
import { parseAlertPayload, parseCaseBundlePayload } from './payloads.js';

/** What an authentic, new envelope is, once opened. */
export interface OpenedPayload {
  applianceId: string;
  sequence: number;
  envelopeSha256: string;
  receivedAt: number;
  payload: Uint8Array;
}

export interface HandlerDependencies {
  fhir: FhirRepository;
  board: DispatchBoard;
  media: MediaStore;
}

export type PayloadHandler = (envelope: OpenedPayload, deps: HandlerDependencies) => Promise<void>;

/** Where the store put each entry that had a fullUrl: the response's location, without its version. */
function locations(bundle: Bundle, response: Bundle): Map<string, string> {
  const map = new Map<string, string>();
  bundle.entry?.forEach((entry, i) => {
    const location = response.entry?.[i]?.response?.location;
    if (entry.fullUrl && location) map.set(entry.fullUrl, location.replace(/\/_history\/.*$/, ''));
  });
  return map;
}

/** Validate every resource, write the transaction (all or nothing), then show the case on the board. */
const caseBundle: PayloadHandler = async (envelope, { fhir, board }) => {
  const { caseId, bundle: raw } = parseCaseBundlePayload(envelope.payload);
  checkTransactionBundle(raw);
  const bundle = raw as unknown as Bundle;
  const idempotencyKey = `${envelope.applianceId}/${envelope.sequence}/${envelope.envelopeSha256}`;
  const response = await fhir.transaction(bundle, { idempotencyKey });
  const stored = locations(bundle, response);
  board.recordBundle(envelope.applianceId, caseId, bundle, envelope.receivedAt, (reference) => stored.get(reference) ?? reference);
};

/** Stored and on the board at once; no FHIR write. */
const alert: PayloadHandler = async (envelope, { board }) => {
  board.recordAlert(envelope.applianceId, envelope.sequence, parseAlertPayload(envelope.payload), envelope.receivedAt);
};

/** Keep the chunk; when the file is whole, store it (Binary, and Media unless the appliance's bundle has it) and put an image on the board. */
const mediaChunk: PayloadHandler = async (envelope, { fhir, board, media }) => {
  const outcome = media.accept(envelope.applianceId, parseMediaChunk(envelope.payload), envelope.receivedAt);
  if (outcome.status !== 'complete') return;
  const { descriptor, data } = outcome;
  await fhir.transaction(mediaTransaction(envelope.applianceId, descriptor, data));
  media.complete(envelope.applianceId, descriptor.mediaId, envelope.receivedAt);
  if (descriptor.contentType.startsWith('image/')) {
    const binaryId = binaryIdFor(envelope.applianceId, descriptor);
    board.recordPhoto(envelope.applianceId, descriptor.caseId, { binaryId, contentType: descriptor.contentType }, envelope.receivedAt);
  }
};

const receiptFromAppliance: PayloadHandler = async () => {
  throw new CloudError('PAYLOAD_INVALID', 'The cloud does not accept receipts', { issues: [{ field: 'kind', problem: "'receipt' is sent by the cloud, not to it" }] });
};

export const PAYLOAD_HANDLERS: Readonly<Record<PayloadKind, PayloadHandler>> = {
  'case-bundle': caseBundle,
  alert,
  'media-chunk': mediaChunk,
  receipt: receiptFromAppliance,
};
