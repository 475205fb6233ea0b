import type { Store } from '../store/index.js';
import type { AssessmentResult, CaseSnapshot, SnapshotAssessment, SnapshotVital } from './snapshot.js';

export interface SnapshotOptions {
  /** Only vital signs received after this (epoch ms): what a live sync has not sent yet. */
  readonly vitalsReceivedAfter?: number;
  /** For a sync: the case's outbox rows up to this id are being sent; media deleted by them go as DELETEs. */
  readonly outboxThrough?: number | null;
}

/**
 * Reads one case from the store, in one transaction so the snapshot is consistent, into the
 * plain snapshot the mapping takes. Media travel as references here; the sync worker sends their
 * bytes separately.
 */
export function snapshotFromStore(store: Store, caseId: string, applianceId: string, options: SnapshotOptions = {}): CaseSnapshot {
  return store.transaction(() => {
    const record = store.cases.get(caseId);
    const { patient } = record;
    return {
      applianceId,
      case: {
        id: record.id,
        incidentNumber: record.incidentNumber,
        status: record.status,
        timeline: record.timeline,
        acuity: record.acuity as CaseSnapshot['case']['acuity'],
        etaAt: record.etaAt,
        chiefComplaint: record.chiefComplaint,
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
      },
      patient,
      crew: store.crew.list().map(({ id, name, role }) => ({ id, name, role })),
      devices: store.content.devices(caseId),
      vitals: store.vitals
        .forCase(caseId, options.vitalsReceivedAfter)
        .map(({ deviceId, seq, code, value, unit, observedAt }) => ({ deviceId, seq, code, value, unit, observedAt }) as SnapshotVital),
      assessments: store.assessments.forCase(caseId).map(
        (a): SnapshotAssessment => ({ id: a.id, source: a.source, createdAt: a.createdAt, acuity: a.acuity as SnapshotAssessment['acuity'], result: a.result as AssessmentResult }),
      ),
      notes: store.content.notes(caseId),
      interventions: store.content.interventions(caseId),
      medications: store.content.medications(caseId),
      media: store.content.media(caseId),
      ...(options.outboxThrough ? { deletedMedia: store.sync.deletedMedia(caseId, options.outboxThrough) } : {}),
    };
  });
}
