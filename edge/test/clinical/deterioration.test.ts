import { describe, expect, it } from 'vitest';
import { DeteriorationWatcher, TREND_WINDOW_MS, type TrendObservation } from '../../src/clinical/index.js';
import type { Hema3nError } from '../../src/errors.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 1, 8, 0, 0);

/** Feeds observations in order; returns the kinds each observation raised. */
function feed(watcher: DeteriorationWatcher, observations: TrendObservation[], caseId = 'case-1'): string[][] {
  return observations.map((observation) => watcher.observe(caseId, observation).map((alert) => alert.kind));
}

describe('NEWS2 rise', () => {
  it('alerts when NEWS2 rises by 2 within 15 minutes, exactly 15:00 included', () => {
    const watcher = new DeteriorationWatcher();
    const raised = watcher.observe('case-1', { at: T0, news2Total: 3 });
    expect(raised).toEqual([]);
    const [alert] = watcher.observe('case-1', { at: T0 + TREND_WINDOW_MS, news2Total: 5 });
    expect(alert).toEqual({
      id: `case-1/news2-rise/${T0 + TREND_WINDOW_MS}`, kind: 'news2-rise', caseId: 'case-1', raisedAt: T0 + TREND_WINDOW_MS,
      detail: 'NEWS2 rose from 3 to 5 in 15 min', clearedAt: null, acknowledgedBy: null, acknowledgedAt: null,
    });
  });

  it('does not alert when the earlier score is 15 minutes and 1 ms old', () => {
    expect(feed(new DeteriorationWatcher(), [{ at: T0, news2Total: 3 }, { at: T0 + TREND_WINDOW_MS + 1, news2Total: 5 }])).toEqual([[], []]);
  });

  it('does not alert on a rise of 1', () => {
    expect(feed(new DeteriorationWatcher(), [{ at: T0, news2Total: 3 }, { at: T0 + MIN, news2Total: 4 }])).toEqual([[], []]);
  });

  it('catches a slow climb against the lowest score in the window', () => {
    expect(feed(new DeteriorationWatcher(), [
      { at: T0, news2Total: 3 }, { at: T0 + 5 * MIN, news2Total: 4 }, { at: T0 + 10 * MIN, news2Total: 5 },
    ])).toEqual([[], [], ['news2-rise']]);
  });

  it('does not alert on a fall', () => {
    expect(feed(new DeteriorationWatcher(), [{ at: T0, news2Total: 7 }, { at: T0 + MIN, news2Total: 3 }])).toEqual([[], []]);
  });
});

describe('SpO2 fall', () => {
  it('alerts when SpO2 falls by 4 points within 15 minutes, exactly 15:00 included', () => {
    const raised = feed(new DeteriorationWatcher(), [{ at: T0, spo2: 98 }, { at: T0 + TREND_WINDOW_MS, spo2: 94 }]);
    expect(raised).toEqual([[], ['spo2-fall']]);
  });

  it('does not alert on a fall of 3', () => {
    expect(feed(new DeteriorationWatcher(), [{ at: T0, spo2: 98 }, { at: T0 + MIN, spo2: 95 }])).toEqual([[], []]);
  });

  it('does not alert when the higher reading is 15 minutes and 1 ms old', () => {
    expect(feed(new DeteriorationWatcher(), [{ at: T0, spo2: 98 }, { at: T0 + TREND_WINDOW_MS + 1, spo2: 90 }])).toEqual([[], []]);
  });

  it('measures from the highest reading in the window and says so', () => {
    const watcher = new DeteriorationWatcher();
    feed(watcher, [{ at: T0, spo2: 96 }, { at: T0 + 2 * MIN, spo2: 99 }, { at: T0 + 4 * MIN, spo2: 97 }]);
    const [alert] = watcher.observe('case-1', { at: T0 + 6 * MIN, spo2: 95 });
    expect(alert?.detail).toBe('SpO2 fell from 99 % to 95 % in 4 min');
  });
});

describe('systolic BP below 90', () => {
  it.each([
    ['95 → 89', [95, 89], [[], ['sbp-below-90']]],
    ['90 → 89', [90, 89], [[], ['sbp-below-90']]],
    ['90 → 90', [90, 90], [[], []]],
    ['a first reading of 85 (no crossing)', [85], [[]]],
    ['85 → 80 (never at or above 90)', [85, 80], [[], []]],
    ['95 → 85 → 80 (still below: one alert)', [95, 85, 80], [[], ['sbp-below-90'], []]],
    ['95 → 85 → 95 → 85 (cleared, then again)', [95, 85, 95, 85], [[], ['sbp-below-90'], [], ['sbp-below-90']]],
  ] as const)('%s', (_name, readings, expected) => {
    const observations = readings.map((systolicBP, i) => ({ at: T0 + i * MIN, systolicBP }));
    expect(feed(new DeteriorationWatcher(), observations)).toEqual(expected);
  });

  it('alerts on a crossing however long ago the previous reading was', () => {
    expect(feed(new DeteriorationWatcher(), [{ at: T0, systolicBP: 110 }, { at: T0 + 60 * MIN, systolicBP: 88 }])).toEqual([[], ['sbp-below-90']]);
  });
});

describe('rhythm flag', () => {
  it('alerts on a new flag, once while it lasts, and again after it cleared', () => {
    expect(feed(new DeteriorationWatcher(), [
      { at: T0, rhythmFlag: null },
      { at: T0 + 1, rhythmFlag: 'VF' },
      { at: T0 + 2, rhythmFlag: 'vf' },
      { at: T0 + 3 },
      { at: T0 + 4, rhythmFlag: null },
      { at: T0 + 5, rhythmFlag: 'VF' },
    ])).toEqual([[], ['rhythm-flag'], [], [], [], ['rhythm-flag']]);
  });

  it('treats a different flag as new and clears the previous one', () => {
    const watcher = new DeteriorationWatcher();
    const [vf] = watcher.observe('case-1', { at: T0, rhythmFlag: 'VF' });
    const [vt] = watcher.observe('case-1', { at: T0 + MIN, rhythmFlag: 'VT' });
    expect(vt?.detail).toBe('Monitor reports VT');
    expect(watcher.activeAlerts('case-1')).toEqual([
      expect.objectContaining({ id: vf?.id, clearedAt: T0 + MIN }),
      expect.objectContaining({ id: vt?.id, clearedAt: null }),
    ]);
  });
});

describe('deduplication and clearing', () => {
  it('does not repeat an alert while its condition lasts', () => {
    expect(feed(new DeteriorationWatcher(), [
      { at: T0, spo2: 98 }, { at: T0 + MIN, spo2: 93 }, { at: T0 + 2 * MIN, spo2: 92 }, { at: T0 + 3 * MIN, spo2: 91 },
    ])).toEqual([[], ['spo2-fall'], [], []]);
  });

  it('re-alerts with a new id after the condition cleared and returned', () => {
    const watcher = new DeteriorationWatcher();
    feed(watcher, [{ at: T0, spo2: 98 }]);
    const [first] = watcher.observe('case-1', { at: T0 + MIN, spo2: 93 });
    expect(watcher.observe('case-1', { at: T0 + 2 * MIN, spo2: 98 })).toEqual([]);
    const [second] = watcher.observe('case-1', { at: T0 + 3 * MIN, spo2: 93 });
    expect(second?.kind).toBe('spo2-fall');
    expect(second?.id).not.toBe(first?.id);
    expect(watcher.activeAlerts('case-1').map((alert) => [alert.id, alert.clearedAt])).toEqual([[first?.id, T0 + 2 * MIN], [second?.id, null]]);
  });

  it('neither raises nor clears on an observation that lacks the parameter', () => {
    const watcher = new DeteriorationWatcher();
    feed(watcher, [{ at: T0, spo2: 98 }, { at: T0 + MIN, spo2: 93 }]);
    expect(watcher.observe('case-1', { at: T0 + 2 * MIN, news2Total: 4 })).toEqual([]);
    expect(watcher.activeAlerts('case-1')).toEqual([expect.objectContaining({ kind: 'spo2-fall', clearedAt: null })]);
  });

  it('keeps one alert per condition when several conditions hold at once', () => {
    const raised = feed(new DeteriorationWatcher(), [
      { at: T0, news2Total: 2, spo2: 98, systolicBP: 100, rhythmFlag: null },
      { at: T0 + MIN, news2Total: 6, spo2: 90, systolicBP: 80, rhythmFlag: 'STEMI' },
      { at: T0 + 2 * MIN, news2Total: 7, spo2: 89, systolicBP: 78, rhythmFlag: 'STEMI' },
    ]);
    expect(raised).toEqual([[], ['news2-rise', 'spo2-fall', 'sbp-below-90', 'rhythm-flag'], []]);
  });

  it('watches each case on its own', () => {
    const watcher = new DeteriorationWatcher();
    watcher.observe('case-1', { at: T0, spo2: 98 });
    expect(watcher.observe('case-2', { at: T0 + MIN, spo2: 90 })).toEqual([]);
    expect(watcher.observe('case-1', { at: T0 + MIN, spo2: 90 }).map((alert) => alert.caseId)).toEqual(['case-1']);
  });
});

describe('acknowledgement', () => {
  function watcherWithAlert(): { watcher: DeteriorationWatcher; alertId: string } {
    const watcher = new DeteriorationWatcher();
    watcher.observe('case-1', { at: T0, systolicBP: 100 });
    const [alert] = watcher.observe('case-1', { at: T0 + MIN, systolicBP: 85 });
    if (!alert) throw new Error('expected an alert');
    return { watcher, alertId: alert.id };
  }

  it('records who acknowledged and when, and removes the alert from the active list', () => {
    const { watcher, alertId } = watcherWithAlert();
    expect(watcher.activeAlerts('case-1').map((alert) => alert.id)).toEqual([alertId]);
    const acknowledged = watcher.acknowledge(alertId, 'crew-7', T0 + 2 * MIN);
    expect(acknowledged).toMatchObject({ id: alertId, acknowledgedBy: 'crew-7', acknowledgedAt: T0 + 2 * MIN });
    expect(watcher.activeAlerts('case-1')).toEqual([]);
  });

  it('does not re-alert an acknowledged condition that still holds', () => {
    const { watcher, alertId } = watcherWithAlert();
    watcher.acknowledge(alertId, 'crew-7', T0 + 2 * MIN);
    expect(watcher.observe('case-1', { at: T0 + 3 * MIN, systolicBP: 80 })).toEqual([]);
  });

  it('keeps a cleared but unacknowledged alert active, marked as cleared', () => {
    const { watcher, alertId } = watcherWithAlert();
    watcher.observe('case-1', { at: T0 + 2 * MIN, systolicBP: 100 });
    expect(watcher.activeAlerts('case-1')).toEqual([expect.objectContaining({ id: alertId, clearedAt: T0 + 2 * MIN })]);
  });

  it('refuses a second acknowledgement with CONFLICT', () => {
    const { watcher, alertId } = watcherWithAlert();
    watcher.acknowledge(alertId, 'crew-7', T0 + 2 * MIN);
    expect(() => watcher.acknowledge(alertId, 'crew-8', T0 + 3 * MIN)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('answers NOT_FOUND for an unknown alert id', () => {
    expect(() => new DeteriorationWatcher().acknowledge('nope', 'crew-7', T0)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('rejects an empty crew id and a time before the alert, naming both', () => {
    const { watcher, alertId } = watcherWithAlert();
    expect(() => watcher.acknowledge(alertId, ' ', T0)).toThrow(expect.objectContaining({
      code: 'INPUT_INVALID', issues: [expect.objectContaining({ field: 'crewId' }), expect.objectContaining({ field: 'at' })],
    }));
  });
});

describe('the watcher as a component', () => {
  const script: TrendObservation[] = [
    { at: T0, news2Total: 2, spo2: 97, systolicBP: 120, rhythmFlag: null },
    { at: T0 + 3 * MIN, news2Total: 5, spo2: 92, systolicBP: 88, rhythmFlag: 'AF' },
    { at: T0 + 6 * MIN, news2Total: 5, spo2: 97, systolicBP: 95, rhythmFlag: null },
    { at: T0 + 9 * MIN, news2Total: 7, spo2: 92, systolicBP: 85, rhythmFlag: 'AF' },
  ];

  it('gives the same alerts and ids when the same observations are replayed; NEWS2 still risen is not repeated', () => {
    const run = () => {
      const watcher = new DeteriorationWatcher();
      return script.flatMap((observation) => watcher.observe('case-1', observation));
    };
    expect(run()).toEqual(run());
    expect(run().map((alert) => alert.id)).toEqual([
      `case-1/news2-rise/${T0 + 3 * MIN}`,
      `case-1/spo2-fall/${T0 + 3 * MIN}`,
      `case-1/sbp-below-90/${T0 + 3 * MIN}`,
      `case-1/rhythm-flag:AF/${T0 + 3 * MIN}`,
      `case-1/spo2-fall/${T0 + 9 * MIN}`,
      `case-1/sbp-below-90/${T0 + 9 * MIN}`,
      `case-1/rhythm-flag:AF/${T0 + 9 * MIN}`,
    ]);
  });

  it('hands out copies: changing a returned alert changes nothing inside', () => {
    const watcher = new DeteriorationWatcher();
    watcher.observe('case-1', { at: T0, spo2: 98 });
    const [alert] = watcher.observe('case-1', { at: T0 + MIN, spo2: 90 });
    if (alert) alert.acknowledgedAt = 1;
    expect(watcher.activeAlerts('case-1')).toHaveLength(1);
  });

  it('rejects an observation older than the last one of the case', () => {
    const watcher = new DeteriorationWatcher();
    watcher.observe('case-1', { at: T0 + MIN, spo2: 98 });
    expect(() => watcher.observe('case-1', { at: T0, spo2: 90 })).toThrow(expect.objectContaining({ code: 'INPUT_INVALID', issues: [expect.objectContaining({ field: 'at' })] }));
  });

  it('rejects bad observation fields, naming each', () => {
    const bad = { at: 'now', spo2: 120, news2Total: 21, systolicBP: 5, rhythmFlag: 'VF; drop table', extra: 1 } as unknown as TrendObservation;
    let fields: string[] = [];
    expect(() => {
      try {
        new DeteriorationWatcher().observe('', bad);
      } catch (error) {
        fields = (error as Hema3nError).issues.map((issue) => issue.field).sort();
        throw error;
      }
    }).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
    expect(fields).toEqual(['at', 'caseId', 'extra', 'news2Total', 'rhythmFlag', 'spo2', 'systolicBP']);
  });

  it('forgets a case: its alerts and history are gone', () => {
    const watcher = new DeteriorationWatcher();
    watcher.observe('case-1', { at: T0, spo2: 98 });
    const [alert] = watcher.observe('case-1', { at: T0 + MIN, spo2: 90 });
    watcher.forgetCase('case-1');
    expect(watcher.activeAlerts('case-1')).toEqual([]);
    expect(() => watcher.acknowledge(alert?.id ?? '', 'crew-7', T0 + 2 * MIN)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(watcher.observe('case-1', { at: T0 + 2 * MIN, spo2: 90 })).toEqual([]);
  });
});
