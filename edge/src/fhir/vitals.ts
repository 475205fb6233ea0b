import type { Observation, ObservationComponent } from '@medplum/fhirtypes';
import type { MappingContext } from './context.js';
import { applianceIdentifierSystem, DATA_ABSENT_REASON } from './systems.js';
import { LOCAL_ID } from './ids.js';
import { caseObservation, concept, ucumQuantity } from './observation.js';
import type { SnapshotVital } from './snapshot.js';
import { BLOOD_PRESSURE, VITALS } from './vital-codes.js';

/**
 * One Observation per measurement, except blood pressure: the SBP and DBP of one reading (same
 * device and seq) become one 85354-9 panel with two components.
 */
export function vitalObservations(ctx: MappingContext): Observation[] {
  const observations: Observation[] = [];
  const pressures = new Map<string, PressureReading>();
  for (const vital of ctx.snapshot.vitals) {
    if (vital.code === 'SBP' || vital.code === 'DBP') {
      const key = LOCAL_ID.bloodPressure(vital.deviceId, vital.seq);
      const reading = pressures.get(key) ?? {};
      reading[vital.code === 'SBP' ? 'systolic' : 'diastolic'] = vital;
      pressures.set(key, reading);
    } else {
      observations.push(singleVital(ctx, vital));
    }
  }
  for (const [localId, reading] of pressures) observations.push(bloodPressurePanel(ctx, localId, reading));
  // Chronological, so a reader of the bundle sees the case unfold; the id breaks ties for a stable order.
  return observations.sort((a, b) => compareText(a.effectiveDateTime, b.effectiveDateTime) || compareText(a.id, b.id));
}

function compareText(a = '', b = ''): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function singleVital(ctx: MappingContext, vital: SnapshotVital): Observation {
  const definition = VITALS[vital.code];
  const localId = LOCAL_ID.vital(vital.deviceId, vital.seq, vital.code);
  return {
    ...caseObservation(ctx, {
      id: ctx.ids.id('Observation', localId),
      category: definition.category,
      code: concept(definition.codings, definition.text),
      effectiveAt: vital.observedAt,
    }),
    identifier: [{ system: applianceIdentifierSystem(ctx.snapshot.applianceId, 'vital'), value: localId }],
    valueQuantity: ucumQuantity(vital.value, definition.ucum, definition.unitLabel),
    device: ctx.device(vital.deviceId),
  };
}

interface PressureReading {
  systolic?: SnapshotVital;
  diastolic?: SnapshotVital;
}

/** A reading always has at least one side: the pairing creates it from one. */
function bloodPressurePanel(ctx: MappingContext, localId: string, reading: PressureReading): Observation {
  const sides = [reading.systolic, reading.diastolic].filter((side) => side !== undefined);
  return {
    ...caseObservation(ctx, {
      id: ctx.ids.id('Observation', localId),
      category: 'vital-signs',
      code: concept(BLOOD_PRESSURE.codings, BLOOD_PRESSURE.text),
      effectiveAt: Math.min(...sides.map((side) => side.observedAt)),
    }),
    identifier: [{ system: applianceIdentifierSystem(ctx.snapshot.applianceId, 'vital'), value: localId }],
    component: [pressureComponent('SBP', reading.systolic), pressureComponent('DBP', reading.diastolic)],
    device: ctx.device(sides[0]!.deviceId),
  };
}

/** A side the device did not send stays in the panel as "unknown", so the panel keeps its shape. */
function pressureComponent(code: 'SBP' | 'DBP', vital: SnapshotVital | undefined): ObservationComponent {
  const definition = VITALS[code];
  const component = { code: concept(definition.codings, definition.text) };
  if (!vital) return { ...component, dataAbsentReason: { coding: [{ system: DATA_ABSENT_REASON, code: 'unknown', display: 'Unknown' }] } };
  return { ...component, valueQuantity: ucumQuantity(vital.value, definition.ucum, definition.unitLabel) };
}
