import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  INGEST_ERROR_CODES,
  IngestError,
  VITALS,
  VITAL_CODES,
  parseTopic,
  parseVitalsPayload,
  parseWaveformPayload,
  rejectionReply,
  resolveVitalCode,
  toCanonicalUnit,
  type VitalCode,
} from '../../src/ingest/payloads/index.js';

/** docs/MQTT.md is what device makers read; these tests keep its examples and tables true. */
const doc = readFileSync(new URL('../../../docs/MQTT.md', import.meta.url), 'utf8');
const NOW = Date.UTC(2025, 2, 1, 12, 0, 5);

function blockAfter(marker: string): string {
  const start = doc.indexOf(`<!-- example:${marker} -->`);
  expect(start).toBeGreaterThanOrEqual(0);
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(doc.slice(start));
  return match?.[1] ?? '';
}

function parseFor(topic: string, payload: string | Buffer) {
  const parsed = parseTopic(topic);
  expect(parsed).not.toBeNull();
  return parsed!.channel === 'vitals' ? parseVitalsPayload(payload, { receivedAt: NOW }) : parseWaveformPayload(payload, { receivedAt: NOW });
}

describe('docs/MQTT.md examples', () => {
  const commands = doc.split('\n').filter((line) => line.startsWith('mosquitto_pub') && line.includes(' -m '));

  it.each(commands.map((c) => [c]))('the appliance accepts the message of %s', (command) => {
    const topic = /-t '([^']+)'/.exec(command)?.[1] ?? '';
    const quoted = command.slice(command.indexOf(" -m '") + 4).replaceAll(`'"$(date +%s%3N)"'`, String(NOW));
    const payload = quoted.slice(1, -1);
    if (payload.includes('"value":400')) {
      expect(() => parseFor(topic, payload)).toThrow(IngestError);
      return;
    }
    expect(() => parseFor(topic, payload)).not.toThrow();
  });

  it('has the documented JSON payloads accepted', () => {
    const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    const vitals = blocks.find((b) => b.includes('"rhythm"'))!;
    const waveform = blocks.find((b) => b.includes('sampleRateHz'))!;
    expect(parseVitalsPayload(vitals, { receivedAt: NOW }).measurements.map((m) => [m.code, m.value, m.unit])).toEqual([
      ['HR', 78, '/min'],
      ['SPO2', 97, '%'],
      ['TEMP', 37, 'Cel'],
      ['SBP', 120, 'mm[Hg]'],
    ]);
    expect(parseWaveformPayload(waveform, { receivedAt: NOW }).sampleCount).toBe(6);
  });

  it('shows an HWF1 frame that decodes as described', () => {
    const bytes = Buffer.from(blockAfter('hwf1').trim().split(/\s+/).map((h) => Number.parseInt(h, 16)));
    const chunk = parseWaveformPayload(bytes, { receivedAt: NOW });
    expect({ seq: chunk.seq, ts: chunk.deviceTs, rate: chunk.sampleRateHz, samples: Array.from(chunk.samples) }).toEqual({
      seq: 7,
      ts: 1740830400000,
      rate: 250,
      samples: [100, -2],
    });
  });

  it('shows the reply a device really gets for the refused sample', () => {
    const documented = JSON.parse(blockAfter('rejected-reply')) as { topic: string; at: string };
    let error: unknown;
    try {
      parseVitalsPayload(blockAfter('rejected-payload'), { receivedAt: NOW });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IngestError);
    const reply = rejectionReply(error as IngestError, { topic: documented.topic, now: Date.parse(documented.at) });
    expect(JSON.parse(reply)).toEqual(documented);
  });
});

describe('docs/MQTT.md tables', () => {
  const rows = new Map(
    doc
      .split('\n')
      .filter((line) => /^\| `[A-Z0-9]+` \| \d/.test(line))
      .map((line) => {
        const cells = line.split('|').slice(1, -1).map((c) => c.trim());
        return [cells[0]!.replaceAll('`', ''), cells] as const;
      }),
  );

  it.each(VITAL_CODES.map((c) => [c]))('documents %s as the code defines it', (code: VitalCode) => {
    const [, loinc, unit, also, range, mdc] = rows.get(code) ?? [];
    const definition = VITALS[code];
    expect(loinc?.split(' ')[0]).toBe(definition.loinc);
    expect(unit).toBe(`\`${definition.unit}\``);
    expect(range?.replace(/,.*$/, '')).toBe(`${definition.min} – ${definition.max}`);
    for (const accepted of also?.match(/`[^`]+`/g) ?? []) expect(toCanonicalUnit(code, 1, accepted.slice(1, -1))).toBeDefined();
    const mdcCodes = mdc?.match(/\b\d{6}\b/g) ?? [];
    expect(mdcCodes.map(Number).sort()).toEqual(definition.mdc.map((t) => t.code).filter((c, i, all) => all.indexOf(c) === i).sort());
    for (const mdcCode of mdcCodes) expect(resolveVitalCode(mdcCode)).toBe(code);
  });

  it('lists every rejection code with its fix', () => {
    for (const code of INGEST_ERROR_CODES) expect(doc).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });
});
