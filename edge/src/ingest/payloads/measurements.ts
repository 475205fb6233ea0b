/**
 * The vital signs a device may send: our short code, its LOINC code, the canonical UCUM unit,
 * the physiologically possible range (inclusive, after unit normalisation) and the
 * IEEE 11073-10101 (MDC) codes that devices speaking that nomenclature use instead.
 *
 * MDC codes are the 32-bit context-free form: partition 2 (SCADA) << 16 | term code. Terms as
 * listed in the NIST Rosetta-derived table of mdpnp/mdpnp
 * (data-types/x73-idl/src/main/idl/org/mdpnp/types/nomenclature/physio.idl); the end-tidal CO2
 * term MDC_CONC_AWAY_CO2_ET (20636 → 151708) is its 2013 gas-nomenclature successor and is what
 * current monitors send in HL7 OBX-3. Limits are "cannot be a real reading", not alarm limits.
 */
export const VITAL_CODES = ['HR', 'RR', 'SPO2', 'SBP', 'DBP', 'MAP', 'TEMP', 'ETCO2', 'GLUCOSE', 'GCS', 'PAIN'] as const;
export type VitalCode = (typeof VITAL_CODES)[number];

export type CanonicalUnit = '/min' | '%' | 'mm[Hg]' | 'Cel' | 'mg/dL' | '{score}';

export interface MdcTerm {
  readonly code: number;
  readonly refId: string;
}

export interface VitalDefinition {
  readonly code: VitalCode;
  readonly display: string;
  readonly loinc: string;
  /** Further LOINC codes a device may send for the same quantity. */
  readonly alsoLoinc: readonly string[];
  readonly unit: CanonicalUnit;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly mdc: readonly MdcTerm[];
}

const scada = (term: number, refId: string): MdcTerm => ({ code: (2 << 16) + term, refId });

const DEFINITIONS: readonly VitalDefinition[] = [
  {
    code: 'HR', display: 'Heart rate', loinc: '8867-4', alsoLoinc: [], unit: '/min', min: 0, max: 350, integer: false,
    mdc: [scada(16770, 'MDC_ECG_HEART_RATE'), scada(16770, 'MDC_ECG_CARD_BEAT_RATE')],
  },
  {
    code: 'RR', display: 'Respiratory rate', loinc: '9279-1', alsoLoinc: [], unit: '/min', min: 0, max: 100, integer: false,
    mdc: [scada(20490, 'MDC_RESP_RATE'), scada(20498, 'MDC_AWAY_RESP_RATE')],
  },
  {
    // Device readings are pulse oximetry; 2708-6 is the FHIR vital-signs base code for the same.
    code: 'SPO2', display: 'Oxygen saturation by pulse oximetry', loinc: '59408-5', alsoLoinc: ['2708-6'], unit: '%',
    min: 0, max: 100, integer: false, mdc: [scada(19384, 'MDC_PULS_OXIM_SAT_O2')],
  },
  {
    code: 'SBP', display: 'Systolic blood pressure', loinc: '8480-6', alsoLoinc: [], unit: 'mm[Hg]', min: 10, max: 350,
    integer: false,
    mdc: [scada(18949, 'MDC_PRESS_BLD_NONINV_SYS'), scada(18961, 'MDC_PRESS_BLD_ART_SYS'), scada(18965, 'MDC_PRESS_BLD_ART_ABP_SYS')],
  },
  {
    code: 'DBP', display: 'Diastolic blood pressure', loinc: '8462-4', alsoLoinc: [], unit: 'mm[Hg]', min: 5, max: 250,
    integer: false,
    mdc: [scada(18950, 'MDC_PRESS_BLD_NONINV_DIA'), scada(18962, 'MDC_PRESS_BLD_ART_DIA'), scada(18966, 'MDC_PRESS_BLD_ART_ABP_DIA')],
  },
  {
    code: 'MAP', display: 'Mean blood pressure', loinc: '8478-0', alsoLoinc: [], unit: 'mm[Hg]', min: 5, max: 300,
    integer: false,
    mdc: [scada(18951, 'MDC_PRESS_BLD_NONINV_MEAN'), scada(18963, 'MDC_PRESS_BLD_ART_MEAN'), scada(18967, 'MDC_PRESS_BLD_ART_ABP_MEAN')],
  },
  {
    code: 'TEMP', display: 'Body temperature', loinc: '8310-5', alsoLoinc: [], unit: 'Cel', min: 20, max: 46, integer: false,
    mdc: [scada(19292, 'MDC_TEMP_BODY'), scada(19296, 'MDC_TEMP_CORE'), scada(19320, 'MDC_TEMP_TYMP'), scada(57348, 'MDC_TEMP_RECT')],
  },
  {
    code: 'ETCO2', display: 'End-tidal CO2', loinc: '19889-5', alsoLoinc: [], unit: 'mm[Hg]', min: 0, max: 150, integer: false,
    mdc: [scada(20636, 'MDC_CONC_AWAY_CO2_ET'), scada(20656, 'MDC_AWAY_CO2_ET')],
  },
  {
    code: 'GLUCOSE', display: 'Blood glucose', loinc: '2339-0', alsoLoinc: [], unit: 'mg/dL', min: 5, max: 2000, integer: false,
    mdc: [
      scada(28948, 'MDC_CONC_GLU_GEN'),
      scada(29112, 'MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD'),
      scada(29116, 'MDC_CONC_GLU_CAPILLARY_PLASMA'),
    ],
  },
  {
    code: 'GCS', display: 'Glasgow coma score total', loinc: '9269-2', alsoLoinc: [], unit: '{score}', min: 3, max: 15,
    integer: true, mdc: [scada(22656, 'MDC_SCORE_GLAS_COMA')],
  },
  {
    code: 'PAIN', display: 'Pain severity 0-10', loinc: '72514-3', alsoLoinc: [], unit: '{score}', min: 0, max: 10,
    integer: true, mdc: [],
  },
];

export const VITALS: Readonly<Record<VitalCode, VitalDefinition>> = Object.fromEntries(
  DEFINITIONS.map((d) => [d.code, d]),
) as Record<VitalCode, VitalDefinition>;

/** Every spelling a device may use for a code, upper-cased: short code, LOINC, MDC number and MDC reference id. */
const ALIASES: ReadonlyMap<string, VitalCode> = new Map(
  DEFINITIONS.flatMap((d) => [
    [d.code, d.code] as const,
    ...[d.loinc, ...d.alsoLoinc].map((loinc) => [loinc, d.code] as const),
    ...d.mdc.flatMap((term) => [[String(term.code), d.code] as const, [term.refId, d.code] as const]),
  ]),
);

/** The short code a device's code stands for, or undefined when we do not know it. */
export function resolveVitalCode(raw: string | number): VitalCode | undefined {
  const key = typeof raw === 'number' ? String(raw) : raw.trim().toUpperCase();
  return ALIASES.get(key);
}
