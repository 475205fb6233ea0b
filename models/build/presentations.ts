/**
 * Presentation patterns per condition, from textbook pre-hospital presentations. They drive the
 * synthetic case generator. Heart rate, respiratory rate and blood pressure are given as
 * [shift, sd] from the age-normal baseline (so the same pattern works for a child and an adult);
 * the other vitals are given as absolute [mean, sd].
 */
export type Spread = readonly [number, number];

export interface VitalPattern {
  readonly hr?: Spread;
  readonly rr?: Spread;
  readonly sbp?: Spread;
  readonly dbp?: Spread;
  readonly spo2?: Spread;
  readonly temp?: Spread;
  readonly gcs?: Spread;
  readonly glucose?: Spread;
  readonly pain?: Spread;
  /** Probability the crew has the patient on supplemental oxygen. */
  readonly oxygen?: number;
}

export const AUDIO_SIGNS = ['wheeze', 'stridor', 'crackles', 'snoring', 'slurred_speech', 'cough', 'distressed_voice'] as const;
export type AudioSign = (typeof AUDIO_SIGNS)[number];
export const IMAGE_SIGNS = ['burn', 'bleeding', 'pallor', 'cyanosis', 'hives', 'facial_droop', 'deformity', 'wound', 'rash'] as const;
export type ImageSign = (typeof IMAGE_SIGNS)[number];

export interface Presentation {
  readonly weight: number;
  readonly vitals: VitalPattern;
  /** ESI high-risk situation evident from the complaint itself. */
  readonly highRisk: boolean;
  /** Needs an immediate life-saving intervention whatever the vitals say. */
  readonly immediate?: boolean;
  /** ESI resources the emergency department is expected to use. */
  readonly resources: number;
  readonly phrases: readonly string[];
  readonly audio?: AudioSign;
  readonly image?: ImageSign;
}

export interface ConditionPattern {
  readonly id: string;
  readonly ages: Spread;
  /** Relative frequency in the synthetic case mix. */
  readonly prevalence: number;
  readonly presentations: readonly Presentation[];
}

export const CONDITION_PATTERNS: readonly ConditionPattern[] = [
  { id: 'stemi', ages: [40, 90], prevalence: 1, presentations: [
    { weight: 0.8, highRisk: true, resources: 3, vitals: { hr: [15, 15], sbp: [0, 25], spo2: [95, 2], pain: [8, 1.5] },
      phrases: ['crushing chest pain radiating to left arm', 'chest pressure with sweating', 'central chest pain and nausea',
        'diaphoretic with substernal chest pain', 'pain in jaw and left arm', 'heavy chest pain for thirty minutes'] },
    { weight: 0.2, highRisk: true, resources: 4, image: 'pallor',
      vitals: { hr: [35, 20], sbp: [-45, 15], spo2: [89, 3], gcs: [14, 1], pain: [8, 1.5], oxygen: 0.5 },
      phrases: ['chest pain, pale, clammy and confused', 'collapsed with crushing chest pain', 'grey and sweaty with chest pain'] },
  ] },
  { id: 'acs_nstemi', ages: [40, 90], prevalence: 1, presentations: [
    { weight: 1, highRisk: true, resources: 3, vitals: { hr: [10, 12], sbp: [10, 20], spo2: [96, 1.5], pain: [6, 2] },
      phrases: ['intermittent chest pain on exertion', 'chest discomfort at rest', 'chest tightness relieved by rest',
        'burning chest pain with shortness of breath', 'history of angina with worsening chest pain', 'chest ache on and off since morning'] },
  ] },
  { id: 'arrhythmia', ages: [30, 90], prevalence: 1, presentations: [
    { weight: 0.5, highRisk: true, resources: 3, vitals: { hr: [70, 20], sbp: [-10, 20], pain: [2, 2] },
      phrases: ['palpitations and racing heart', 'heart pounding and dizzy', 'irregular heartbeat and lightheaded', 'fluttering in chest'] },
    { weight: 0.3, highRisk: true, resources: 3, vitals: { hr: [-38, 6], sbp: [-20, 15], gcs: [14.5, 0.7] },
      phrases: ['dizzy and near fainting with slow pulse', 'fainted while standing', 'feels weak and lightheaded, pulse slow', 'passed out briefly'] },
    { weight: 0.2, highRisk: false, resources: 2, vitals: { hr: [35, 10] },
      phrases: ['known atrial fibrillation with mild palpitations', 'irregular pulse noticed, feels fine'] },
  ] },
  { id: 'heart_failure', ages: [55, 95], prevalence: 1, presentations: [
    { weight: 0.7, highRisk: false, resources: 3, audio: 'crackles',
      vitals: { hr: [20, 12], rr: [10, 4], sbp: [25, 25], spo2: [90, 3], pain: [1, 1.5], oxygen: 0.5 },
      phrases: ['short of breath when lying flat', 'swollen legs and shortness of breath', 'waking at night gasping for air',
        'weight gain and ankle swelling', 'history of heart failure, breathing worse'] },
    { weight: 0.3, highRisk: true, resources: 4, audio: 'crackles',
      vitals: { hr: [35, 12], rr: [16, 4], sbp: [40, 25], spo2: [84, 3], pain: [2, 2], oxygen: 0.8 },
      phrases: ['cannot lie flat, pink frothy sputum', 'drowning feeling, severe breathlessness', 'sitting upright gasping with frothy cough'] },
  ] },
  { id: 'sepsis', ages: [20, 95], prevalence: 1, presentations: [
    { weight: 0.65, highRisk: false, resources: 3,
      vitals: { temp: [39, 0.6], hr: [35, 12], rr: [9, 3], sbp: [-20, 12], spo2: [94, 2], gcs: [14.3, 0.8], pain: [3, 2] },
      phrases: ['fever and chills', 'feeling hot and confused', 'shaking chills and weakness', 'urinary infection, now fever and lethargy',
        'fever with fast breathing', 'infected wound with fever'] },
    { weight: 0.35, highRisk: true, resources: 4, image: 'pallor',
      vitals: { temp: [38.6, 1.3], hr: [50, 12], rr: [14, 3], sbp: [-45, 12], spo2: [91, 3], gcs: [12.5, 1.5], pain: [3, 2], oxygen: 0.4 },
      phrases: ['fever, mottled skin and very drowsy', 'septic looking, cold hands and confused', 'fever and low blood pressure, barely responding'] },
  ] },
  { id: 'hemorrhagic_shock', ages: [16, 85], prevalence: 1, presentations: [
    { weight: 1, highRisk: true, resources: 4, image: 'bleeding',
      vitals: { hr: [45, 15], sbp: [-45, 15], dbp: [-20, 8], rr: [8, 3], gcs: [13.5, 1.5], spo2: [95, 2], pain: [7, 2] },
      phrases: ['heavy bleeding from leg wound', 'stab wound with large blood loss', 'car crash, pale and bleeding',
        'bleeding heavily after injury', 'gunshot wound to abdomen', 'arterial bleeding from arm'] },
  ] },
  { id: 'stroke', ages: [45, 95], prevalence: 1, presentations: [
    { weight: 1, highRisk: true, resources: 3, audio: 'slurred_speech', image: 'facial_droop',
      vitals: { sbp: [40, 20], dbp: [15, 10], gcs: [13.5, 1.5], glucose: [120, 20] },
      phrases: ['sudden left sided weakness', 'slurred speech and facial droop', 'cannot move right arm', 'sudden confusion and trouble speaking',
        'face drooping on one side', 'sudden loss of vision and dizziness'] },
  ] },
  { id: 'seizure', ages: [1, 80], prevalence: 1, presentations: [
    { weight: 0.75, highRisk: true, resources: 2, vitals: { gcs: [12, 2], hr: [20, 12], glucose: [110, 20], pain: [1, 1] },
      phrases: ['had a seizure', 'shaking all over then unresponsive', 'convulsions lasting two minutes', 'known epilepsy, witnessed seizure',
        'tongue biting and confusion after a fit'] },
    { weight: 0.25, highRisk: true, immediate: true, resources: 3, vitals: { gcs: [7, 1.5], hr: [30, 12], spo2: [90, 4], oxygen: 0.6 },
      phrases: ['still seizing on arrival', 'continuous seizure for ten minutes', 'repeated seizures without waking up'] },
  ] },
  { id: 'head_injury', ages: [5, 90], prevalence: 1, presentations: [
    { weight: 0.55, highRisk: false, resources: 1, vitals: { pain: [4, 2] },
      phrases: ['bumped head, no loss of consciousness', 'minor head injury, alert', 'hit head on cabinet, small bruise'] },
    { weight: 0.45, highRisk: true, resources: 3, image: 'wound', vitals: { gcs: [11, 2.5], sbp: [20, 20], hr: [-5, 12], pain: [5, 2] },
      phrases: ['fell and hit head, lost consciousness', 'head injury with vomiting and confusion', 'assault with blow to head, drowsy',
        'fall down stairs, head wound, unequal pupils'] },
  ] },
  { id: 'respiratory_distress', ages: [18, 90], prevalence: 1, presentations: [
    { weight: 1, highRisk: true, resources: 3, image: 'cyanosis', audio: 'distressed_voice',
      vitals: { rr: [14, 4], spo2: [87, 3], hr: [25, 12], oxygen: 0.5 },
      phrases: ['severe shortness of breath', 'struggling to breathe', 'cannot speak in full sentences', 'gasping for air',
        'using accessory muscles to breathe'] },
  ] },
  { id: 'asthma_copd', ages: [8, 90], prevalence: 1, presentations: [
    { weight: 0.7, highRisk: false, resources: 2, audio: 'wheeze', vitals: { rr: [8, 3], spo2: [93, 2], hr: [18, 10] },
      phrases: ['wheezing and short of breath', 'asthma attack, inhaler not helping', 'copd flare up with cough', 'chest tight and wheezy'] },
    { weight: 0.3, highRisk: true, resources: 3, audio: 'wheeze', vitals: { rr: [16, 4], spo2: [87, 3], hr: [35, 10], oxygen: 0.6 },
      phrases: ['silent chest and exhausted', 'cannot speak, wheezing badly', 'severe asthma, tripod position'] },
  ] },
  { id: 'pneumonia', ages: [1, 95], prevalence: 1, presentations: [
    { weight: 1, highRisk: false, resources: 3, audio: 'crackles',
      vitals: { temp: [38.6, 0.6], rr: [7, 3], spo2: [92, 2.5], hr: [18, 10], pain: [3, 2], oxygen: 0.3 },
      phrases: ['productive cough and fever', 'cough with green sputum', 'chest pain when breathing and fever', 'cough for a week, now short of breath'] },
  ] },
  { id: 'opioid_overdose', ages: [16, 70], prevalence: 1, presentations: [
    { weight: 0.7, highRisk: true, immediate: true, resources: 3, audio: 'snoring', image: 'cyanosis',
      vitals: { rr: [-9, 2], spo2: [83, 5], gcs: [7, 2], hr: [-8, 10], sbp: [-10, 12] },
      phrases: ['found unresponsive with pinpoint pupils', 'suspected heroin overdose', 'needle found nearby, barely breathing',
        'snoring respirations and blue lips'] },
    { weight: 0.3, highRisk: true, resources: 2, vitals: { rr: [-5, 2], spo2: [91, 3], gcs: [12, 1.5] },
      phrases: ['drowsy after taking oxycodone', 'took too many pain pills, very sleepy', 'nodding off after using fentanyl'] },
  ] },
  { id: 'hypoglycemia', ages: [5, 90], prevalence: 1, presentations: [
    { weight: 0.7, highRisk: true, resources: 2, vitals: { glucose: [42, 10], gcs: [12, 2.5], hr: [15, 10] },
      phrases: ['diabetic, confused and sweaty', 'low blood sugar, acting strange', 'took insulin and did not eat', 'shaky, sweating, diabetic'] },
    { weight: 0.3, highRisk: false, resources: 1, vitals: { glucose: [64, 5], hr: [10, 8] },
      phrases: ['feels shaky, sugar a bit low', 'diabetic, missed lunch, mild tremor'] },
  ] },
  { id: 'hypothermia', ages: [10, 95], prevalence: 1, presentations: [
    { weight: 1, highRisk: true, resources: 3, image: 'pallor', vitals: { temp: [33, 1.2], hr: [-15, 10], rr: [-3, 2], gcs: [13, 2] },
      phrases: ['found outside in the cold', 'shivering and confused after exposure', 'pulled from cold water', 'cold to touch with slurred speech'] },
  ] },
  { id: 'anaphylaxis', ages: [3, 80], prevalence: 1, presentations: [
    { weight: 0.7, highRisk: true, resources: 3, audio: 'stridor', image: 'hives',
      vitals: { hr: [35, 12], sbp: [-35, 15], rr: [8, 4], spo2: [92, 3] },
      phrases: ['throat swelling after eating peanuts', 'bee sting with hives and trouble breathing', 'lips and tongue swelling',
        'allergic reaction with wheezing and rash'] },
    { weight: 0.3, highRisk: false, resources: 2, image: 'hives', vitals: { hr: [10, 8] },
      phrases: ['hives after eating shellfish, breathing fine', 'itchy rash after new medicine'] },
  ] },
  { id: 'fracture_trauma', ages: [3, 95], prevalence: 1.5, presentations: [
    { weight: 0.5, highRisk: false, resources: 1, vitals: { pain: [5, 2] },
      phrases: ['twisted ankle with swelling', 'fell on outstretched hand, wrist pain', 'sprained knee playing football', 'finger injury, bruised'] },
    { weight: 0.5, highRisk: true, resources: 3, image: 'deformity', vitals: { pain: [8, 1.5], hr: [18, 10] },
      phrases: ['fall from ladder, deformed thigh', 'hip pain after fall, cannot walk', 'open fracture of lower leg', 'motorbike crash, leg deformed'] },
  ] },
  { id: 'gi_bleed', ages: [25, 95], prevalence: 1, presentations: [
    { weight: 0.7, highRisk: true, resources: 3, image: 'pallor', vitals: { hr: [25, 12], sbp: [-20, 15], pain: [4, 2] },
      phrases: ['vomiting blood', 'black tarry stools', 'coffee ground vomit', 'blood in stool and dizzy'] },
    { weight: 0.3, highRisk: false, resources: 2, vitals: { hr: [5, 8], pain: [2, 2] },
      phrases: ['small amount of blood in stool', 'streaks of blood on toilet paper'] },
  ] },
  { id: 'psychiatric_crisis', ages: [14, 80], prevalence: 1, presentations: [
    { weight: 0.45, highRisk: true, resources: 2, audio: 'distressed_voice', vitals: { hr: [10, 10] },
      phrases: ['suicidal thoughts with a plan', 'wants to kill himself', 'threatening self harm', 'says she wants to die'] },
    { weight: 0.3, highRisk: true, resources: 2, audio: 'distressed_voice', vitals: { hr: [20, 10], sbp: [15, 12] },
      phrases: ['agitated and hallucinating', 'violent, danger to others', 'acute psychosis, hearing voices'] },
    { weight: 0.25, highRisk: false, resources: 1, vitals: { hr: [15, 10], rr: [4, 2] },
      phrases: ['panic attack, feels anxious', 'anxiety and hyperventilating', 'feeling low and tearful'] },
  ] },
  { id: 'skin_burn', ages: [1, 90], prevalence: 1.2, presentations: [
    { weight: 0.4, highRisk: false, resources: 1, image: 'burn', vitals: { pain: [5, 2] },
      phrases: ['small burn on hand from stove', 'scald to forearm from hot water', 'sunburn with blisters'] },
    { weight: 0.2, highRisk: false, resources: 1, image: 'rash', vitals: { pain: [2, 1.5] },
      phrases: ['red swollen skin on lower leg', 'itchy rash spreading on arms', 'skin infection around a cut'] },
    { weight: 0.4, highRisk: true, resources: 3, image: 'burn', vitals: { pain: [8, 1.5], hr: [25, 10], rr: [4, 2] },
      phrases: ['burns to face and chest from house fire', 'large burn on both legs', 'smoke inhalation and burns', 'chemical burn to arm'] },
  ] },
  { id: 'pediatric_respiratory', ages: [0.2, 6], prevalence: 1, presentations: [
    { weight: 0.65, highRisk: false, resources: 2, audio: 'stridor', vitals: { rr: [12, 5], hr: [20, 12], spo2: [95, 2], temp: [38.2, 0.7] },
      phrases: ['toddler with barking cough', 'infant with runny nose and wheeze', 'child with cough and fever', 'baby feeding poorly with cough'] },
    { weight: 0.35, highRisk: true, resources: 3, audio: 'stridor', image: 'cyanosis',
      vitals: { rr: [25, 6], hr: [35, 12], spo2: [88, 3], temp: [38.5, 0.8], oxygen: 0.5 },
      phrases: ['baby breathing fast and grunting', 'child with barking cough and stridor at rest', 'infant with chest sucking in on breathing'] },
  ] },
  { id: 'none_other', ages: [5, 90], prevalence: 2, presentations: [
    { weight: 0.5, highRisk: false, resources: 0, vitals: {},
      phrases: ['sore throat for three days', 'needs a prescription refill', 'mild rash for a week', 'earache', 'cold symptoms and runny nose'] },
    { weight: 0.3, highRisk: false, resources: 1, vitals: { pain: [3, 2] },
      phrases: ['minor cut on finger needs stitches', 'burning when passing urine', 'back pain after lifting'] },
    { weight: 0.2, highRisk: false, resources: 2, vitals: { pain: [5, 2] },
      phrases: ['abdominal pain and vomiting', 'dizziness for two days', 'headache since yesterday'] },
  ] },
];
