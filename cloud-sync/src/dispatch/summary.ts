/** What the dispatch board shows of one incoming case. No names or free text: ids, codes and numbers. */
export interface CaseSummary {
  applianceId: string;
  caseId: string;
  /** ESI 1 (most urgent) to 5; null until an alert or an ESI observation arrived. */
  acuity: number | null;
  /** Expected arrival, ms since the epoch; null before transport. */
  eta: number | null;
  vitals: VitalReading[];
  assessment: Assessment | null;
  photos: PhotoRef[];
  /** When the cloud last received anything for this case, ms since the epoch. */
  updatedAt: number;
}

export type Trend = 'rising' | 'falling' | 'steady';

export interface VitalReading {
  /** LOINC code. */
  code: string;
  /** Short label for the board, e.g. HR, SpO2. */
  label: string;
  value: number;
  unit: string;
  observedAt: number;
  /** Against the reading before; null when there is none. */
  trend: Trend | null;
}

/** The model's top condition from a RiskAssessment. */
export interface Assessment {
  condition: string;
  /** 0 to 1; null when the assessment gave none. */
  confidence: number | null;
}

export interface PhotoRef {
  binaryId: string;
  contentType: string;
}

/** A measurement as it arrives, before the board compares it with the one before. */
export interface Measurement {
  code: string;
  value: number;
  unit: string;
  observedAt: number;
}

/** Vital signs the board shows, by LOINC code, in display order. */
export const BOARD_VITALS: Readonly<Record<string, string>> = {
  '8867-4': 'HR',
  '8480-6': 'SBP',
  '8462-4': 'DBP',
  '59408-5': 'SpO2',
  '2708-6': 'SpO2',
  '9279-1': 'RR',
  '8310-5': 'Temp',
  '19891-1': 'EtCO2',
  '2339-0': 'Glucose',
  '9269-2': 'GCS',
};

/** LOINC "Emergency severity index [ESI]". */
export const ESI_LOINC = '75636-1';

/** A change smaller than this share of the earlier value is "steady": monitor noise is not a trend. */
const TREND_THRESHOLD = 0.03;

export function trendOf(previous: number | undefined, current: number): Trend | null {
  if (previous === undefined) return null;
  const change = current - previous;
  if (Math.abs(change) <= Math.abs(previous) * TREND_THRESHOLD) return 'steady';
  return change > 0 ? 'rising' : 'falling';
}

/**
 * Merges new measurements into the board's readings: per code, the newest wins and its trend is
 * against the newest one before it (from this update or from what the board already showed).
 */
export function mergeVitals(current: readonly VitalReading[], incoming: readonly Measurement[]): VitalReading[] {
  const byCode = new Map(current.map((reading) => [reading.code, reading]));
  const sorted = [...incoming].filter((m) => BOARD_VITALS[m.code] !== undefined).sort((a, b) => a.observedAt - b.observedAt);
  for (const measurement of sorted) {
    const before = byCode.get(measurement.code);
    if (before && before.observedAt > measurement.observedAt) continue;
    const trend = before && before.observedAt < measurement.observedAt ? trendOf(before.value, measurement.value) : (before?.trend ?? null);
    byCode.set(measurement.code, { ...measurement, label: BOARD_VITALS[measurement.code]!, trend });
  }
  const order = Object.keys(BOARD_VITALS);
  return [...byCode.values()].sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code));
}

export function emptySummary(applianceId: string, caseId: string, at: number): CaseSummary {
  return { applianceId, caseId, acuity: null, eta: null, vitals: [], assessment: null, photos: [], updatedAt: at };
}

/** The board keeps the most recent few photos per case. */
export const MAX_PHOTOS = 6;

export function addPhotos(current: readonly PhotoRef[], added: readonly PhotoRef[]): PhotoRef[] {
  const known = new Set(current.map((photo) => photo.binaryId));
  return [...current, ...added.filter((photo) => !known.has(photo.binaryId))].slice(-MAX_PHOTOS);
}

/** Photos deleted on the appliance leave the board (and with them the board's route to their Binary). */
export function removePhotos(current: readonly PhotoRef[], binaryIds: readonly string[]): PhotoRef[] {
  const gone = new Set(binaryIds);
  return current.filter((photo) => !gone.has(photo.binaryId));
}
