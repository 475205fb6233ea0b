import { describe, expect, it } from 'vitest';
import { Hema3nError } from '../../src/errors.js';
import { WAVEFORM_KINDS, deviceTopic, parseTopic } from '../../src/ingest/payloads/index.js';

const ROOT = 'hema3n/v1/devices';

describe('parseTopic', () => {
  it.each([
    [`${ROOT}/mon-1/vitals`, { deviceId: 'mon-1', channel: 'vitals' }],
    [`${ROOT}/mon-1/status`, { deviceId: 'mon-1', channel: 'status' }],
    [`${ROOT}/mon-1/replies`, { deviceId: 'mon-1', channel: 'replies' }],
    [`${ROOT}/mon-1/waveform/ecg-ii`, { deviceId: 'mon-1', channel: 'waveform', kind: 'ecg-ii' }],
    [`${ROOT}/mon-1/waveform/ecg-avf`, { deviceId: 'mon-1', channel: 'waveform', kind: 'ecg-avf' }],
    [`${ROOT}/mon-1/waveform/ecg-v6`, { deviceId: 'mon-1', channel: 'waveform', kind: 'ecg-v6' }],
    [`${ROOT}/mon-1/waveform/pleth`, { deviceId: 'mon-1', channel: 'waveform', kind: 'pleth' }],
    [`${ROOT}/mon-1/waveform/co2`, { deviceId: 'mon-1', channel: 'waveform', kind: 'co2' }],
    [`${ROOT}/cam.2/media/photo_0001.jpg`, { deviceId: 'cam.2', channel: 'media', mediaId: 'photo_0001.jpg' }],
    [`${ROOT}/${'A'.repeat(64)}/vitals`, { deviceId: 'A'.repeat(64), channel: 'vitals' }],
  ])('reads %s', (topic, expected) => {
    expect(parseTopic(topic)).toEqual(expected);
  });

  it.each([
    ['another root', 'other/v1/devices/mon-1/vitals'],
    ['another version', 'hema3n/v2/devices/mon-1/vitals'],
    ['no channel', `${ROOT}/mon-1`],
    ['an unknown channel', `${ROOT}/mon-1/alarms`],
    ['a trailing level', `${ROOT}/mon-1/vitals/extra`],
    ['a trailing slash', `${ROOT}/mon-1/vitals/`],
    ['an empty device id', `${ROOT}//vitals`],
    ['a device id starting with a dot', `${ROOT}/.hidden/vitals`],
    ['a device id of 65 characters', `${ROOT}/${'A'.repeat(65)}/vitals`],
    ['a wildcard as device id', `${ROOT}/+/vitals`],
    ['a space in the device id', `${ROOT}/mon 1/vitals`],
    ['a waveform without kind', `${ROOT}/mon-1/waveform`],
    ['an unknown waveform kind', `${ROOT}/mon-1/waveform/ecg-v7`],
    ['an upper-case waveform kind', `${ROOT}/mon-1/waveform/ECG-II`],
    ['media without id', `${ROOT}/mon-1/media`],
    ['a media id with a path', `${ROOT}/mon-1/media/../x`],
    ['a detail on vitals', `${ROOT}/mon-1/vitals/ecg-ii`],
  ])('refuses %s', (_case, topic) => {
    expect(parseTopic(topic)).toBeNull();
  });

  it('knows twelve ECG leads plus pleth and CO2', () => {
    expect(WAVEFORM_KINDS).toHaveLength(14);
    expect(WAVEFORM_KINDS).toContain('ecg-avr');
    expect(WAVEFORM_KINDS).toContain('ecg-v1');
  });
});

describe('deviceTopic', () => {
  it('builds the reply topic a device subscribes to', () => {
    expect(deviceTopic('mon-1', 'replies')).toBe(`${ROOT}/mon-1/replies`);
  });

  it('refuses a device id that parseTopic would refuse', () => {
    expect(() => deviceTopic('bad/id', 'replies')).toThrow(Hema3nError);
  });
});
