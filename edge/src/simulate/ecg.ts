import type { SimulatedPatient } from './physiology.js';
import { createRandom, type Random } from './random.js';

export const ECG_SAMPLE_RATE_HZ = 250;
/** Sample scale of the simulated monitor: 1 count = 5 µV. */
export const ECG_COUNTS_PER_MV = 200;

/**
 * Lead II built beat by beat from a PQRST template (a sum of Gaussian waves, after McSharry
 * et al. 2003) at the patient's heart rate. Repolarisation stretches with the RR interval as
 * QT does (Bazett); STEMI lifts the ST segment and peaks the T wave; atrial fibrillation
 * drops the P wave, makes RR irregular and adds fibrillatory baseline waves.
 */
export class EcgSynthesizer {
  private readonly beats: { readonly at: number; readonly rr: number }[] = [];
  private readonly noise: Random;
  /** Breathing phase (radians) at each whole second, accumulated so a changing RR stays smooth. */
  private readonly breathPhase: Float64Array;

  constructor(
    private readonly patient: SimulatedPatient,
    seed: number,
  ) {
    this.noise = createRandom(seed, 'ecg:noise');
    const timing = createRandom(seed, 'ecg:beats');
    const { atrialFibrillation } = patient.definition.ecg;
    let at = timing.between(0, 0.8);
    while (at < patient.durationSeconds + 1) {
      const mean = 60 / patient.trueValue('HR', at);
      const rr = mean * (atrialFibrillation ? timing.between(0.7, 1.3) : 1 + timing.gaussian(0.015));
      this.beats.push({ at, rr });
      at += rr;
    }
    this.breathPhase = new Float64Array(patient.durationSeconds + 2);
    for (let i = 1; i < this.breathPhase.length; i += 1) {
      this.breathPhase[i] = (this.breathPhase[i - 1] as number) + (2 * Math.PI * patient.trueValue('RR', i - 1)) / 60;
    }
  }

  /** Samples [startSeconds, startSeconds + count / rate) as int16 counts. Call in time order. */
  chunk(startSeconds: number, count: number, sampleRateHz = ECG_SAMPLE_RATE_HZ): Int16Array {
    const out = new Int16Array(count);
    const end = startSeconds + count / sampleRateHz;
    const nearby = this.beats.filter((b) => b.at > startSeconds - 0.8 && b.at < end + 0.4);
    for (let i = 0; i < count; i += 1) {
      const t = startSeconds + i / sampleRateHz;
      let mv = this.baseline(t) + this.noise.gaussian(0.012);
      for (const beat of nearby) mv += this.beat(t - beat.at, beat.rr);
      out[i] = Math.max(-32768, Math.min(32767, Math.round(mv * ECG_COUNTS_PER_MV)));
    }
    return out;
  }

  /** One beat's contribution in mV at `tau` seconds from its R peak. */
  private beat(tau: number, rr: number): number {
    if (tau < -0.35 || tau > 0.75) return 0;
    const { stElevationMv, atrialFibrillation } = this.patient.definition.ecg;
    const qt = Math.sqrt(rr);
    return (
      (atrialFibrillation ? 0 : 0.12 * wave(tau + 0.16, 0.025)) -
      0.1 * wave(tau + 0.03, 0.008) +
      1.1 * wave(tau, 0.01) -
      0.25 * wave(tau - 0.03, 0.009) +
      stElevationMv * wave(tau - 0.13 * qt, 0.055 * qt) +
      (0.3 + 0.8 * stElevationMv) * wave(tau - 0.28 * qt, 0.055 * qt)
    );
  }

  /** Respiratory baseline sway, plus fibrillatory waves in AF. */
  private baseline(t: number): number {
    const whole = Math.min(Math.floor(t), this.breathPhase.length - 2);
    const from = this.breathPhase[whole] as number;
    const to = this.breathPhase[whole + 1] as number;
    const sway = 0.05 * Math.sin(from + (to - from) * (t - whole));
    if (!this.patient.definition.ecg.atrialFibrillation) return sway;
    return sway + 0.05 * Math.sin(2 * Math.PI * 5.5 * t + 0.7 * Math.sin(2 * Math.PI * 0.3 * t));
  }
}

function wave(x: number, sd: number): number {
  return Math.exp(-(x * x) / (2 * sd * sd));
}
