import { throwIfIssues, type WireIssue } from './errors.js';
import { integerIssues, type EnvelopeHeader } from './format.js';

/**
 * What a receiver remembers per appliance to recognise replays. Plain JSON, so the receiver
 * can keep it wherever it keeps the appliance record; this module never stores anything.
 */
export interface ReplayState {
  /** Highest sequence accepted so far; 0 before the first (sequences start at 1). */
  highest: number;
  /** The other accepted sequences still inside the window below `highest`, ascending. */
  recent: readonly number[];
}

/**
 * new: never accepted, accept it. replay: accepted before, answer with the stored receipt and
 * change nothing. stale: too far below the highest to tell; answer with a stored receipt if
 * there is one for this sequence and envelope hash, otherwise refuse it.
 */
export type ReplayVerdict = 'new' | 'replay' | 'stale';

export const INITIAL_REPLAY_STATE: Readonly<ReplayState> = Object.freeze({ highest: 0, recent: Object.freeze([]) });

/** Room for an appliance's uploads to arrive out of order (parallel uploads, retries after a dropout). */
export const DEFAULT_REPLAY_WINDOW = 64;
const MAX_REPLAY_WINDOW = 4096;

type Sequenced = Pick<EnvelopeHeader, 'sequence'>;

function stateIssues(state: ReplayState): WireIssue[] {
  const recent = Array.isArray(state.recent) ? state.recent : [];
  return [
    ...integerIssues(state.highest, 'state.highest', 0),
    ...(Array.isArray(state.recent) ? [] : [{ field: 'state.recent', problem: 'must be an array of sequences' }]),
    ...recent.flatMap((sequence, i) => integerIssues(sequence, `state.recent[${i}]`, 1, state.highest - 1)),
  ];
}

/**
 * Sliding-window replay classification (the IPsec anti-replay idea): sequences within `window`
 * of the highest accepted one are tracked exactly, so a late envelope is still accepted once
 * and a repeated one is recognised. Use it on a header openEnvelope has verified.
 */
export class ReplayGuard {
  readonly window: number;

  constructor(window: number = DEFAULT_REPLAY_WINDOW) {
    throwIfIssues('WIRE_INPUT_INVALID', 'Replay window is invalid', integerIssues(window, 'window', 1, MAX_REPLAY_WINDOW));
    this.window = window;
  }

  classify(state: ReplayState, header: Sequenced): ReplayVerdict {
    throwIfIssues('WIRE_INPUT_INVALID', 'Replay check input is invalid', [...stateIssues(state), ...integerIssues(header.sequence, 'sequence', 1)]);
    const { sequence } = header;
    if (sequence > state.highest) return 'new';
    if (sequence <= state.highest - this.window) return 'stale';
    return sequence === state.highest || state.recent.includes(sequence) ? 'replay' : 'new';
  }

  /** The state after accepting a new sequence; the one passed in is left as it was. */
  accept(state: ReplayState, header: Sequenced): ReplayState {
    const verdict = this.classify(state, header);
    throwIfIssues('WIRE_INPUT_INVALID', 'Only a new sequence can be accepted', verdict === 'new' ? [] : [{ field: 'sequence', problem: `is ${verdict}` }]);
    const { sequence } = header;
    if (sequence < state.highest) return { highest: state.highest, recent: [...state.recent, sequence].sort((a, b) => a - b) };
    const recent = state.highest > 0 ? [...state.recent, state.highest] : [...state.recent];
    return { highest: sequence, recent: recent.filter((seen) => seen > sequence - this.window) };
  }
}
