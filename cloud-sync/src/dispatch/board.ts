import type { Bundle } from '@medplum/fhirtypes';
import type { AlertPayload } from '../wire/index.js';
import { factsFromBundle } from './from-bundle.js';
import type { DispatchStore } from './store.js';
import { addPhotos, emptySummary, mergeVitals, removePhotos, type CaseSummary, type PhotoRef } from './summary.js';

/** Cases not heard of for this long leave the board (they stay in the store and in FHIR). */
export const BOARD_WINDOW_MS = 12 * 60 * 60 * 1000;

export type CaseListener = (summary: CaseSummary) => void;

function keyOf(applianceId: string, caseId: string): string {
  return `${applianceId}\n${caseId}`;
}

/** Most urgent first (no acuity yet counts as least urgent), then the most recently updated. */
function byUrgency(a: CaseSummary, b: CaseSummary): number {
  return (a.acuity ?? 6) - (b.acuity ?? 6) || b.updatedAt - a.updatedAt;
}

/**
 * The dispatch board's state: one summary per incoming case, built from alerts, case bundles and
 * photos as they arrive, persisted, and pushed to every subscriber at once.
 */
export class DispatchBoard {
  private readonly cases = new Map<string, CaseSummary>();
  private readonly listeners = new Set<CaseListener>();

  constructor(
    private readonly store: DispatchStore,
    private readonly now: () => number,
  ) {
    for (const summary of store.casesSince(now() - BOARD_WINDOW_MS)) this.cases.set(keyOf(summary.applianceId, summary.caseId), summary);
  }

  /** The board as a newcomer sees it. */
  snapshot(): CaseSummary[] {
    const since = this.now() - BOARD_WINDOW_MS;
    return [...this.cases.values()].filter((summary) => summary.updatedAt >= since).sort(byUrgency);
  }

  subscribe(listener: CaseListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** A pre-arrival alert carries the appliance's acuity and latest vitals; it goes on the board at once. */
  recordAlert(applianceId: string, sequence: number, alert: AlertPayload, receivedAt: number): CaseSummary {
    const before = this.current(applianceId, alert.caseId, receivedAt);
    const summary: CaseSummary = {
      ...before,
      acuity: alert.acuity,
      eta: alert.eta,
      vitals: mergeVitals(before.vitals, alert.latestVitals),
      updatedAt: receivedAt,
    };
    this.store.saveAlert(applianceId, sequence, alert, receivedAt, summary);
    return this.publish(summary);
  }

  /** A case bundle updates vitals, the ESI level, the AI assessment and the photos from what it holds; the photos it deletes leave. */
  recordBundle(applianceId: string, caseId: string, bundle: Bundle, receivedAt: number, resolve: (reference: string) => string): CaseSummary {
    const before = this.current(applianceId, caseId, receivedAt);
    const facts = factsFromBundle(bundle, receivedAt, resolve);
    const summary: CaseSummary = {
      ...before,
      acuity: facts.acuity ?? before.acuity,
      eta: facts.eta === undefined ? before.eta : facts.eta,
      vitals: mergeVitals(before.vitals, facts.measurements),
      assessment: facts.assessment ?? before.assessment,
      photos: removePhotos(addPhotos(before.photos, facts.photos), facts.deletedBinaryIds),
      updatedAt: receivedAt,
    };
    this.store.saveCase(summary);
    return this.publish(summary);
  }

  recordPhoto(applianceId: string, caseId: string, photo: PhotoRef, receivedAt: number): CaseSummary {
    const before = this.current(applianceId, caseId, receivedAt);
    const summary: CaseSummary = { ...before, photos: addPhotos(before.photos, [photo]), updatedAt: receivedAt };
    this.store.saveCase(summary);
    return this.publish(summary);
  }

  /** Only photos of cases on the board are served, so the board cannot be used to read any Binary. */
  photo(binaryId: string): PhotoRef | undefined {
    for (const summary of this.cases.values()) {
      const found = summary.photos.find((photo) => photo.binaryId === binaryId);
      if (found) return found;
    }
    return undefined;
  }

  private current(applianceId: string, caseId: string, at: number): CaseSummary {
    return this.cases.get(keyOf(applianceId, caseId)) ?? emptySummary(applianceId, caseId, at);
  }

  private publish(summary: CaseSummary): CaseSummary {
    this.cases.set(keyOf(summary.applianceId, summary.caseId), summary);
    for (const listener of this.listeners) listener(summary);
    return summary;
  }
}
