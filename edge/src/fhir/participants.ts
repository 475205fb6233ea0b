import type { Device, Practitioner } from '@medplum/fhirtypes';
import type { MappingContext } from './context.js';
import { LOCAL_ID } from './ids.js';
import type { AssessmentResult } from './snapshot.js';
import { APPLIANCE_IDENTIFIER, applianceIdentifierSystem } from './systems.js';

type ModelVersion = NonNullable<AssessmentResult['model']>;
type AdapterVersion = NonNullable<AssessmentResult['adapter']>;

export function practitioners(ctx: MappingContext): Practitioner[] {
  const { crew, applianceId } = ctx.snapshot;
  return crew.map((member) => ({
    resourceType: 'Practitioner',
    id: ctx.ids.id('Practitioner', member.id),
    identifier: [{ system: applianceIdentifierSystem(applianceId, 'crew'), value: member.id }],
    name: [{ text: member.name }],
    qualification: [{ code: { text: member.role } }],
  }));
}

/** The appliance itself: it assembled the bundle (Provenance) and ran the rules and the model. */
export function applianceDevice(ctx: MappingContext): Device {
  return {
    resourceType: 'Device',
    id: ctx.ids.id('Device', LOCAL_ID.appliance()),
    identifier: [{ system: APPLIANCE_IDENTIFIER, value: ctx.snapshot.applianceId }],
    status: 'active',
    deviceName: [{ name: 'HEMA3N Edge', type: 'user-friendly-name' }],
    type: { text: 'Ambulance clinical appliance' },
  };
}

/** The monitors and sensors that sent vitals. */
export function measuringDevices(ctx: MappingContext): Device[] {
  const { devices, applianceId } = ctx.snapshot;
  return devices.map((device) => ({
    resourceType: 'Device',
    id: ctx.ids.id('Device', LOCAL_ID.device(device.id)),
    identifier: [{ system: applianceIdentifierSystem(applianceId, 'device'), value: device.id }],
    status: 'active',
    type: { text: device.kind },
  }));
}

/**
 * The triage model as software Device, one per model version and LoRA adapter: a RiskAssessment's
 * performer then names exactly which model and adapter produced it.
 */
export function modelDevices(ctx: MappingContext): Device[] {
  const models = new Map<string, Device>();
  for (const { result } of ctx.snapshot.assessments) {
    if (!result.model) continue;
    const localId = LOCAL_ID.model(result.model, result.adapter ?? null);
    if (!models.has(localId)) models.set(localId, modelDevice(ctx, localId, result.model, result.adapter ?? null));
  }
  return [...models.values()];
}

function modelDevice(ctx: MappingContext, localId: string, model: ModelVersion, adapter: AdapterVersion | null): Device {
  return {
    resourceType: 'Device',
    id: ctx.ids.id('Device', localId),
    status: 'active',
    deviceName: [{ name: model.id, type: 'model-name' }],
    type: { text: 'AI triage model' },
    version: [
      { type: { text: 'model' }, value: model.version },
      ...(adapter ? [{ type: { text: `adapter ${adapter.specialty}` }, value: adapter.version }] : []),
    ],
  };
}

/** Local id of the model Device of an assessment; undefined when no model took part. */
export function modelLocalId(result: AssessmentResult): string | undefined {
  return result.model ? LOCAL_ID.model(result.model, result.adapter ?? null) : undefined;
}
