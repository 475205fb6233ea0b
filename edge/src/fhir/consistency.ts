import { Hema3nError, type FieldIssue } from '../errors.js';
import type { CaseSnapshot } from './snapshot.js';
import { isVitalCode, VITALS } from './vital-codes.js';

/**
 * The snapshot must hang together before it is mapped: every measurement a known code in its
 * canonical unit from a listed device, every performer and author a listed crew member. Otherwise
 * the bundle would hold wrong units or references to nothing. Problems name fields, never values.
 */
export function assertConsistent(snapshot: CaseSnapshot): void {
  const issues = [...vitalIssues(snapshot), ...crewReferenceIssues(snapshot), ...mediaIssues(snapshot)];
  if (issues.length > 0) throw new Hema3nError('INPUT_INVALID', 'The case snapshot is not consistent', { issues });
}

function vitalIssues(snapshot: CaseSnapshot): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const devices = new Set(snapshot.devices.map((device) => device.id));
  const seen = new Set<string>();
  snapshot.vitals.forEach((vital, index) => {
    const field = `vitals[${index}]`;
    const code: string = vital.code;
    if (!isVitalCode(code)) issues.push({ field: `${field}.code`, problem: 'is not a known vital code' });
    else if (vital.unit !== VITALS[code].ucum) issues.push({ field: `${field}.unit`, problem: `must be '${VITALS[code].ucum}' for ${code}` });
    if (!devices.has(vital.deviceId)) issues.push({ field: `${field}.deviceId`, problem: 'names no device in devices' });
    const key = JSON.stringify([vital.deviceId, vital.seq, code]);
    if (seen.has(key)) issues.push({ field, problem: 'repeats an earlier measurement (same device, seq and code)' });
    seen.add(key);
  });
  return issues;
}

function crewReferenceIssues(snapshot: CaseSnapshot): FieldIssue[] {
  const crew = new Set(snapshot.crew.map((member) => member.id));
  const references = [
    ...snapshot.notes.map((note, index) => ({ field: `notes[${index}].authorId`, id: note.authorId })),
    ...snapshot.interventions.map((item, index) => ({ field: `interventions[${index}].performerId`, id: item.performerId })),
    ...snapshot.medications.map((item, index) => ({ field: `medications[${index}].performerId`, id: item.performerId })),
  ];
  return references.filter(({ id }) => !crew.has(id)).map(({ field }) => ({ field, problem: 'names no crew member in crew' }));
}

function mediaIssues(snapshot: CaseSnapshot): FieldIssue[] {
  return snapshot.media.flatMap((item, index) =>
    /^[0-9a-f]{64}$/.test(item.sha256) ? [] : [{ field: `media[${index}].sha256`, problem: 'must be 64 lower-case hex characters' }],
  );
}
