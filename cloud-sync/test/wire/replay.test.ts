import { describe, expect, it } from 'vitest';
import { INITIAL_REPLAY_STATE, ReplayGuard, WireError, type ReplayState, type ReplayVerdict } from '@hema3n/cloud-sync/wire';

const seq = (sequence: number) => ({ sequence });

describe('replay classification with a window of 4', () => {
  const guard = new ReplayGuard(4);
  /** Accepted so far: 1..10 except 8. */
  const state: ReplayState = { highest: 10, recent: [7, 9] };

  it.each<[number, ReplayVerdict]>([
    [11, 'new'],
    [1_000, 'new'],
    [10, 'replay'],
    [9, 'replay'],
    [8, 'new'],
    [7, 'replay'],
    [6, 'stale'],
    [1, 'stale'],
  ])('classifies sequence %i as %s', (sequence, verdict) => {
    expect(guard.classify(state, seq(sequence))).toBe(verdict);
  });
});

describe('accepting sequences', () => {
  it('treats the first envelope from an appliance as new', () => {
    expect(new ReplayGuard().classify(INITIAL_REPLAY_STATE, seq(1))).toBe('new');
  });

  it('recognises every accepted sequence as a replay, in order or not', () => {
    const guard = new ReplayGuard(8);
    let state = INITIAL_REPLAY_STATE;
    for (const sequence of [1, 2, 5, 3, 4, 6]) {
      expect(guard.classify(state, seq(sequence)), `sequence ${sequence}`).toBe('new');
      state = guard.accept(state, seq(sequence));
    }
    for (const sequence of [1, 2, 3, 4, 5, 6]) expect(guard.classify(state, seq(sequence)), `sequence ${sequence}`).toBe('replay');
    expect(state).toEqual({ highest: 6, recent: [1, 2, 3, 4, 5] });
  });

  it('forgets sequences that fell out of the window, which then count as stale', () => {
    const guard = new ReplayGuard(3);
    let state = INITIAL_REPLAY_STATE;
    for (const sequence of [1, 2, 3, 4, 5]) state = guard.accept(state, seq(sequence));
    expect(state).toEqual({ highest: 5, recent: [3, 4] });
    expect(guard.classify(state, seq(2))).toBe('stale');
  });

  it('leaves a gap open for a late envelope while it is inside the window', () => {
    const guard = new ReplayGuard(4);
    const state = guard.accept(guard.accept(INITIAL_REPLAY_STATE, seq(1)), seq(3));
    expect(guard.classify(state, seq(2))).toBe('new');
    expect(guard.classify(guard.accept(state, seq(2)), seq(2))).toBe('replay');
  });

  it('with a window of 1 accepts only ever-increasing sequences', () => {
    const guard = new ReplayGuard(1);
    const state = guard.accept(guard.accept(INITIAL_REPLAY_STATE, seq(1)), seq(3));
    expect(state).toEqual({ highest: 3, recent: [] });
    expect([2, 3, 4].map((sequence) => guard.classify(state, seq(sequence)))).toEqual(['stale', 'replay', 'new']);
  });

  it('does not change the state it was given, and its state survives JSON storage', () => {
    const guard = new ReplayGuard(4);
    const before: ReplayState = { highest: 5, recent: [3] };
    const after = guard.accept(before, seq(4));
    expect(before).toEqual({ highest: 5, recent: [3] });
    const stored = JSON.parse(JSON.stringify(after)) as ReplayState;
    expect(guard.classify(stored, seq(4))).toBe('replay');
  });

  it.each([
    ['a replay', 5],
    ['a stale sequence', 1],
  ])('refuses to accept %s', (_name, sequence) => {
    const guard = new ReplayGuard(2);
    expect(() => guard.accept({ highest: 5, recent: [] }, seq(sequence))).toThrow(WireError);
  });

  it('refuses corrupt stored state, naming the bad fields', () => {
    const guard = new ReplayGuard(4);
    try {
      guard.classify({ highest: -1, recent: [0] } as ReplayState, seq(1));
      expect.unreachable();
    } catch (error) {
      expect((error as WireError).code).toBe('WIRE_INPUT_INVALID');
      expect((error as WireError).issues.map((issue) => issue.field)).toEqual(['state.highest', 'state.recent[0]']);
    }
  });

  it.each([0, 1.5, 5_000])('refuses a window of %s', (window) => {
    expect(() => new ReplayGuard(window)).toThrow(WireError);
  });
});
