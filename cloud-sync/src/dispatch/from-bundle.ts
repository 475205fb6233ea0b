import type { Bundle, Encounter, Media, Observation, Resource, RiskAssessment } from '@medplum/fhirtypes';
import { ETA_EXTENSION_URL } from '../wire/index.js';
import { ESI_LOINC, type Assessment, type Measurement, type PhotoRef } from './summary.js';

/** What a case bundle tells the board. */
export interface BundleFacts {
  measurements: Measurement[];
  acuity: number | null;
  assessment: Assessment | null;
  photos: PhotoRef[];
  /** Binary ids the bundle deletes: photos that must leave the board. */
  deletedBinaryIds: string[];
  /** Expected arrival (epoch ms) from the Encounter, null when it has none; undefined when the bundle (a later part) carries no Encounter. */
  eta: number | null | undefined;
}

const LOINC = 'http://loinc.org';
/** LOINC answers LA21567-5 ... LA21755-6 for ESI-1 ... ESI-5. */
const ESI_ANSWERS: Readonly<Record<string, number>> = { 'LA21567-5': 1, 'LA21752-3': 2, 'LA21753-1': 3, 'LA21754-9': 4, 'LA21755-6': 5 };

function loincCodes(observation: Observation): string[] {
  return (observation.code?.coding ?? []).filter((c) => c.system === LOINC && c.code).map((c) => c.code!);
}

function observedAt(observation: Observation, fallback: number): number {
  const when = observation.effectiveDateTime ?? observation.effectiveInstant ?? observation.effectivePeriod?.start ?? observation.issued;
  const ms = when ? Date.parse(when) : NaN;
  return Number.isFinite(ms) ? ms : fallback;
}

function measurementsOf(observation: Observation, fallback: number): Measurement[] {
  const at = observedAt(observation, fallback);
  const own = observation.valueQuantity?.value;
  const direct = own === undefined ? [] : loincCodes(observation).map((code) => ({ code, value: own, unit: observation.valueQuantity?.unit ?? observation.valueQuantity?.code ?? '', observedAt: at }));
  // A blood pressure panel carries systolic and diastolic as components.
  const components = (observation.component ?? []).flatMap((component) => {
    const value = component.valueQuantity?.value;
    if (value === undefined) return [];
    return (component.code?.coding ?? [])
      .filter((c) => c.system === LOINC && c.code)
      .map((c) => ({ code: c.code!, value, unit: component.valueQuantity?.unit ?? component.valueQuantity?.code ?? '', observedAt: at }));
  });
  return [...direct, ...components];
}

function esiLevel(observation: Observation): number | null {
  const coded = observation.valueCodeableConcept?.coding?.map((c) => ESI_ANSWERS[c.code ?? '']).find((level) => level !== undefined);
  const level = observation.valueInteger ?? observation.valueQuantity?.value ?? coded;
  return level !== undefined && Number.isInteger(level) && level >= 1 && level <= 5 ? level : null;
}

function latestEsi(observations: readonly Observation[], fallback: number): number | null {
  const esi = observations.filter((o) => loincCodes(o).includes(ESI_LOINC)).sort((a, b) => observedAt(b, fallback) - observedAt(a, fallback));
  for (const observation of esi) {
    const level = esiLevel(observation);
    if (level !== null) return level;
  }
  return null;
}

function topPrediction(assessment: RiskAssessment): Assessment | null {
  const ranked = (assessment.prediction ?? [])
    .map((p) => ({ condition: p.outcome?.text ?? p.outcome?.coding?.[0]?.display ?? p.outcome?.coding?.[0]?.code, confidence: p.probabilityDecimal ?? null }))
    .filter((p): p is Assessment => typeof p.condition === 'string' && p.condition.length > 0)
    .sort((a, b) => (b.confidence ?? -1) - (a.confidence ?? -1));
  return ranked[0] ?? null;
}

function latestAssessment(assessments: readonly RiskAssessment[]): Assessment | null {
  const newestFirst = [...assessments].sort((a, b) => Date.parse(b.occurrenceDateTime ?? '') - Date.parse(a.occurrenceDateTime ?? '') || 0);
  for (const assessment of newestFirst) {
    const top = topPrediction(assessment);
    if (top) return top;
  }
  return null;
}

/** Media whose content is an image in a Binary: the board shows it as a thumbnail. */
function photoOf(media: Media, resolve: (reference: string) => string): PhotoRef | null {
  const { url, contentType } = media.content ?? {};
  if (!url || !contentType?.startsWith('image/')) return null;
  const match = /^Binary\/([A-Za-z0-9\-.]{1,64})$/.exec(resolve(url));
  return match ? { binaryId: match[1]!, contentType } : null;
}

function etaOf(encounter: Encounter | undefined): number | null | undefined {
  if (!encounter) return undefined;
  const when = encounter.extension?.find((e) => e.url === ETA_EXTENSION_URL)?.valueDateTime;
  const ms = when ? Date.parse(when) : NaN;
  return Number.isFinite(ms) ? ms : null;
}

/** `DELETE Binary/<id>` entries carry no resource, only their request. */
function deletedBinaryIds(bundle: Bundle): string[] {
  return (bundle.entry ?? []).flatMap((entry) => {
    const match = entry.request?.method === 'DELETE' ? /^Binary\/([A-Za-z0-9\-.]{1,64})$/.exec(entry.request.url) : null;
    return match ? [match[1]!] : [];
  });
}

/**
 * Reads what the board shows out of a case bundle: vital-sign Observations (and the components
 * of a blood pressure panel), the ESI level (LOINC 75636-1), the AI's RiskAssessment, image
 * Media, the Binaries it deletes, and the ETA on the Encounter. `resolve` maps a bundle-internal reference (urn:uuid) to
 * where the store put it.
 */
export function factsFromBundle(bundle: Bundle, receivedAt: number, resolve: (reference: string) => string): BundleFacts {
  const resources: Resource[] = (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []));
  const observations = resources.filter((r): r is Observation => r.resourceType === 'Observation');
  return {
    measurements: observations.flatMap((o) => measurementsOf(o, receivedAt)),
    acuity: latestEsi(observations, receivedAt),
    assessment: latestAssessment(resources.filter((r): r is RiskAssessment => r.resourceType === 'RiskAssessment')),
    photos: resources.flatMap((r) => (r.resourceType === 'Media' ? [photoOf(r, resolve)] : [])).filter((p): p is PhotoRef => p !== null),
    deletedBinaryIds: deletedBinaryIds(bundle),
    eta: etaOf(resources.find((r): r is Encounter => r.resourceType === 'Encounter')),
  };
}
