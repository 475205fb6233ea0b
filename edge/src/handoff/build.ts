import type { ScoreResult } from '../clinical/index.js';
import type { CaseRecord, RecordedMedication, StoredAlert, StoredIntervention, StoredNote } from '../store/index.js';

export interface HandoffVital {
  readonly code: string;
  readonly value: number;
  readonly unit: string;
  readonly observedAt: number;
}

export interface HandoffInput {
  readonly record: CaseRecord;
  readonly notes: readonly StoredNote[];
  readonly interventions: readonly StoredIntervention[];
  readonly medications: readonly RecordedMedication[];
  /** Every stored reading of the case, any order. */
  readonly vitals: readonly HandoffVital[];
  readonly alerts: readonly StoredAlert[];
  /** The rule scores as they stand now. */
  readonly score: ScoreResult;
  readonly crewNames: ReadonlyMap<string, string>;
  readonly now: number;
}

export interface VitalsLine {
  readonly at: number;
  readonly values: ReadonlyArray<{ readonly code: string; readonly label: string; readonly value: number; readonly unit: string }>;
}

export interface TreatmentLine {
  readonly at: number;
  readonly kind: 'intervention' | 'medication';
  readonly text: string;
  readonly by: string | null;
  /** The stated reason when a medication warning was overridden. */
  readonly override: string | null;
}

/** One screen for the receiving team: MIST for the verbal handover, SBAR for the written one. */
export interface Handoff {
  readonly generatedAt: number;
  readonly caseId: string;
  readonly incidentNumber: string | null;
  readonly patient: {
    readonly description: string;
    readonly identified: boolean;
    readonly allergies: readonly string[];
    readonly homeMedications: readonly string[];
  };
  readonly times: ReadonlyArray<{ readonly status: string; readonly label: string; readonly at: number }>;
  readonly mist: {
    readonly mechanism: string;
    readonly injuries: readonly string[];
    readonly signs: { readonly first: VitalsLine | null; readonly latest: VitalsLine | null; readonly scores: readonly string[] };
    readonly treatment: readonly TreatmentLine[];
  };
  readonly sbar: {
    readonly situation: string;
    readonly background: readonly string[];
    readonly assessment: readonly string[];
    readonly recommendation: readonly string[];
  };
  readonly notes: ReadonlyArray<{ readonly at: number; readonly by: string | null; readonly text: string }>;
}

const STATUS_LABELS: Readonly<Record<string, string>> = {
  dispatched: 'Dispatched', en_route: 'En route', on_scene: 'On scene', patient_contact: 'Patient contact',
  transporting: 'Transporting', at_destination: 'At destination', handoff: 'Handoff', closed: 'Closed',
};

/** The order a handover reads vitals in. */
const VITAL_LABELS: ReadonlyArray<readonly [string, string]> = [
  ['HR', 'HR'], ['SBP', 'SBP'], ['DBP', 'DBP'], ['RR', 'RR'], ['SPO2', 'SpO2'], ['ETCO2', 'EtCO2'], ['TEMP', 'Temp'], ['GLUCOSE', 'Glucose'],
];

/** UCUM codes as people write them. */
const DISPLAY_UNITS: Readonly<Record<string, string>> = { 'mm[Hg]': 'mmHg', Cel: '°C', '[degF]': '°F' };

const ALERT_TEXT: Readonly<Record<string, string>> = {
  'news2-rise': 'NEWS2 rising', 'spo2-fall': 'SpO2 falling', 'sbp-below-90': 'Systolic BP fell below 90 mmHg', 'rhythm-flag': 'Monitor rhythm flag',
};

const ESI_MEANING: Readonly<Record<number, string>> = {
  1: 'needs immediate life-saving intervention: resuscitation bay',
  2: 'high risk: should be seen immediately',
  3: 'stable, needs several resources',
  4: 'stable, needs one resource',
  5: 'stable, needs no resources',
};

export function buildHandoff(input: HandoffInput): Handoff {
  const { record } = input;
  const patient = describePatient(record);
  const treatment = treatmentLines(input);
  const injuries = findings(input);
  const first = vitalsLine(input.vitals, 'first');
  const latest = vitalsLine(input.vitals, 'latest');
  const scores = scoreLines(input.score);
  return {
    generatedAt: input.now,
    caseId: record.id,
    incidentNumber: record.incidentNumber,
    patient: { description: patient, identified: !record.patient.unidentified, allergies: record.patient.allergies, homeMedications: record.patient.homeMedications },
    times: record.timeline.map((e) => ({ status: e.status, label: STATUS_LABELS[e.status] ?? e.status, at: e.at })),
    mist: { mechanism: record.chiefComplaint ?? 'Not recorded', injuries, signs: { first, latest, scores }, treatment },
    sbar: {
      situation: `${patient}: ${record.chiefComplaint ?? 'complaint not recorded'}. Acuity ESI ${input.score.acuity.level}.`,
      background: background(record),
      assessment: [...(latest ? [`Latest: ${lineText(latest)}`] : ['No device vitals recorded']), ...scores, ...injuries],
      recommendation: recommendation(input),
    },
    notes: input.notes.map((n) => ({ at: n.createdAt, by: input.crewNames.get(n.authorId) ?? null, text: n.text })),
  };
}

function describePatient(record: CaseRecord): string {
  const p = record.patient;
  const name = [p.givenName, p.familyName].filter(Boolean).join(' ');
  const age = p.ageYears !== null ? `${formatAge(p.ageYears)}` : 'age unknown';
  const sex = p.sex && p.sex !== 'unknown' ? p.sex : 'sex unknown';
  const weight = p.weightKg !== null ? `, ${p.weightKg} kg` : '';
  return `${name || 'Unknown patient'}, ${age}, ${sex}${weight}`;
}

function formatAge(years: number): string {
  if (years >= 2) return `${Math.floor(years)} y`;
  if (years >= 1 / 12) return `${Math.floor(years * 12)} months`;
  return `${Math.max(0, Math.floor(years * 365))} days`;
}

function background(record: CaseRecord): string[] {
  const p = record.patient;
  return [
    `Allergies: ${p.allergies.length ? p.allergies.join(', ') : 'none recorded'}`,
    `Home medications: ${p.homeMedications.length ? p.homeMedications.join(', ') : 'none recorded'}`,
  ];
}

function vitalsLine(vitals: readonly HandoffVital[], which: 'first' | 'latest'): VitalsLine | null {
  const values: Array<VitalsLine['values'][number]> = [];
  let at: number | null = null;
  for (const [code, label] of VITAL_LABELS) {
    const readings = vitals.filter((v) => v.code === code);
    if (readings.length === 0) continue;
    const pick = readings.reduce((best, v) => ((which === 'first' ? v.observedAt < best.observedAt : v.observedAt > best.observedAt) ? v : best));
    values.push({ code, label, value: pick.value, unit: DISPLAY_UNITS[pick.unit] ?? pick.unit });
    at = at === null ? pick.observedAt : which === 'first' ? Math.min(at, pick.observedAt) : Math.max(at, pick.observedAt);
  }
  return at === null ? null : { at, values };
}

function lineText(line: VitalsLine): string {
  return line.values.map((v) => `${v.label} ${v.value}${v.unit === '%' ? ' %' : ` ${v.unit}`}`).join(', ');
}

function scoreLines(score: ScoreResult): string[] {
  const lines = [`NEWS2 ${score.news2.total} (${score.news2.risk}${score.news2.partial ? ', partial' : ''})`];
  if (score.shockIndex?.elevated) lines.push(`Shock index ${score.shockIndex.value} (elevated)`);
  if (score.qsofa.positive) lines.push(`qSOFA ${score.qsofa.score} (positive)`);
  if (score.gcs) lines.push(`GCS ${score.gcs.total} (E${score.gcs.eye} V${score.gcs.verbal} M${score.gcs.motor})`);
  return lines;
}

/** What was found: the monitor's flags and deterioration alerts, and the crew's positive screens. */
function findings(input: HandoffInput): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const alert of input.alerts) {
    const text = alert.detail || ALERT_TEXT[alert.kind] || alert.kind;
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(`${text}${alert.clearedAt !== null ? ' (since resolved)' : ''}`);
  }
  const { beFast, pediatric } = input.score;
  if (beFast?.positive) out.push(`BE-FAST positive: ${beFast.positiveItems.join(', ')}`);
  for (const outside of pediatric?.outside ?? []) out.push(`${outside.vital} ${outside.value} ${outside.direction} the normal range for age`);
  return out;
}

function treatmentLines(input: HandoffInput): TreatmentLine[] {
  const by = (id: string) => input.crewNames.get(id) ?? null;
  const lines: TreatmentLine[] = [
    ...input.interventions.map((i) => ({ at: i.performedAt, kind: 'intervention' as const, text: i.display, by: by(i.performerId), override: null })),
    ...input.medications.map((m) => ({
      at: m.givenAt, kind: 'medication' as const, text: `${m.medication} ${m.dose} ${m.doseUnit} ${m.route}`, by: by(m.performerId), override: m.overrideReason,
    })),
  ];
  return lines.sort((a, b) => a.at - b.at);
}

function recommendation(input: HandoffInput): string[] {
  const level = input.score.acuity.level;
  const out = [`ESI ${level}: ${ESI_MEANING[level] ?? ''}`.trim()];
  // What raised the level; the resource count (rule C) says nothing the receiving team can act on.
  out.push(...input.score.acuity.reasons.filter((r) => r.rule !== 'C').map((r) => r.text));
  const open = input.alerts.filter((a) => a.clearedAt === null);
  if (open.length > 0) out.push(`Watch: ${[...new Set(open.map((a) => a.detail || ALERT_TEXT[a.kind] || a.kind))].join('; ')}`);
  const overridden = input.medications.filter((m) => m.overrideReason !== null);
  if (overridden.length > 0) out.push(`Review: ${overridden.length} medication${overridden.length > 1 ? 's' : ''} given despite a dose-check warning`);
  if (input.record.patient.allergies.length > 0) out.push(`Allergies: ${input.record.patient.allergies.join(', ')}`);
  return out;
}
