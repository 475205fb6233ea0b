import { describe, expect, it } from 'vitest';
import { parseEnvFile, renderEnvFile } from '../../src/ops/index.js';

describe('the systemd env file', () => {
  it('writes the owned settings under a header on a first run', () => {
    const text = renderEnvFile(null, { owned: { HEMA3N_MODE: 'production', HEMA3N_DB_KEY_FILE: null }, defaults: { HEMA3N_MQTT_TLS_PORT: '8883' } });
    expect(text).toMatch(/^# HEMA3N Edge settings.*\n# Written by `hema3n provision`.*\nHEMA3N_MODE=production\nHEMA3N_MQTT_TLS_PORT=8883\n$/);
  });

  it("rewrites what provisioning owns in place, removes what it drops, and keeps the technician's lines and defaults", () => {
    const existing = '# mine\nHEMA3N_MODE=development\nHEMA3N_CLOUD_URL=https://cloud.example\nHEMA3N_DB_KEY_FILE=/old\nHEMA3N_MQTT_TLS_PORT=9883\n';
    const text = renderEnvFile(existing, {
      owned: { HEMA3N_MODE: 'production', HEMA3N_DB_KEY_FILE: null, HEMA3N_TPM2_SEALED_KEY: '0x81000100' },
      defaults: { HEMA3N_MQTT_TLS_PORT: '8883' },
    });
    expect(text).toBe('# mine\nHEMA3N_MODE=production\nHEMA3N_CLOUD_URL=https://cloud.example\nHEMA3N_MQTT_TLS_PORT=9883\nHEMA3N_TPM2_SEALED_KEY=0x81000100\n');
    expect(renderEnvFile(text, { owned: { HEMA3N_MODE: 'production', HEMA3N_DB_KEY_FILE: null, HEMA3N_TPM2_SEALED_KEY: '0x81000100' }, defaults: {} })).toBe(text);
    expect(parseEnvFile(text).get('HEMA3N_CLOUD_URL')).toBe('https://cloud.example');
  });

  it.each(['/path with space', 'a"b', '$HOME', 'x#y', 'back\\slash'])('refuses a value systemd and the shell would read differently: %s', (value) => {
    expect(() => renderEnvFile(null, { owned: { HEMA3N_STATE_DIR: value }, defaults: {} })).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });
});
