import { parentPort } from 'node:worker_threads';
import { isHema3nError, type FieldIssue } from '../errors.js';
import { processAudio, type ProcessAudioOptions, type ProcessedAudio } from './audio-process.js';

export interface AudioJob {
  readonly id: number;
  readonly input: Uint8Array;
  readonly options: ProcessAudioOptions;
}

/** A refusal crosses the thread boundary as its code, message and issues; anything else as INTERNAL. */
export interface AudioJobFailure {
  readonly code: string;
  readonly message: string;
  readonly issues: readonly FieldIssue[];
}

export type AudioJobResult = { readonly id: number; readonly result: ProcessedAudio } | { readonly id: number; readonly failure: AudioJobFailure };

function run(job: AudioJob): AudioJobResult {
  try {
    return { id: job.id, result: processAudio(Buffer.from(job.input.buffer, job.input.byteOffset, job.input.byteLength), job.options) };
  } catch (error) {
    if (isHema3nError(error)) return { id: job.id, failure: { code: error.code, message: error.message, issues: error.issues } };
    return { id: job.id, failure: { code: 'INTERNAL', message: 'Internal error', issues: [] } };
  }
}

parentPort?.on('message', (job: AudioJob) => parentPort!.postMessage(run(job)));
