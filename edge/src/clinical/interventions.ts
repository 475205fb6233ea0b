/**
 * Procedures the tablet offers as one-tap buttons. Codes are local (the FHIR mapping puts them in
 * the appliance's own intervention code system); anything else is recorded as `other` with text.
 */
export const INTERVENTIONS = [
  { code: 'ecg-12-lead', display: '12-lead ECG' },
  { code: 'iv-access', display: 'IV access' },
  { code: 'io-access', display: 'IO access' },
  { code: 'cpr', display: 'CPR' },
  { code: 'defibrillation', display: 'Defibrillation' },
  { code: 'cardioversion', display: 'Cardioversion' },
  { code: 'pacing', display: 'External pacing' },
  { code: 'bvm-ventilation', display: 'BVM ventilation' },
  { code: 'supraglottic-airway', display: 'Supraglottic airway' },
  { code: 'intubation', display: 'Intubation (ETT)' },
  { code: 'suction', display: 'Airway suction' },
  { code: 'needle-decompression', display: 'Needle decompression' },
  { code: 'tourniquet', display: 'Tourniquet' },
  { code: 'wound-packing', display: 'Wound packing' },
  { code: 'pelvic-binder', display: 'Pelvic binder' },
  { code: 'splint', display: 'Splint' },
  { code: 'spinal-motion-restriction', display: 'Spinal motion restriction' },
  { code: 'glucose-check', display: 'Blood glucose check' },
  { code: 'active-warming', display: 'Active warming' },
  { code: 'stroke-prealert', display: 'Stroke pre-alert' },
  { code: 'stemi-prealert', display: 'STEMI pre-alert' },
  { code: 'trauma-prealert', display: 'Trauma pre-alert' },
] as const;

export type InterventionCode = (typeof INTERVENTIONS)[number]['code'] | 'other';
