import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { Hema3nError } from '../src/errors.js';
import { useTempDirs } from './support/temp.js';

const tempDir = useTempDirs();

function configError(env: Record<string, string>, cwd = '/tmp'): Hema3nError {
  try {
    loadConfig({ env, cwd });
  } catch (error) {
    if (error instanceof Hema3nError) return error;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('configuration', () => {
  it('comes up on embedded defaults with nothing set', () => {
    const config = loadConfig({ env: {}, cwd: '/srv/app' });
    expect(config.stateDir).toBe('/srv/app/.hema3n-state');
    expect(config.http.port).toBe(8080);
    expect(config.mqtt.port).toBe(1883);
    expect(config.db.keyProvider).toBe('auto');
    expect(config.mode).toBe('development');
  });

  it('reads the documented environment variables, including 0 for an ephemeral MQTT port', () => {
    const key = 'a'.repeat(64);
    const config = loadConfig({
      env: { HEMA3N_STATE_DIR: 'state', HEMA3N_DB_KEY: key, HEMA3N_HTTP_PORT: '9000', HEMA3N_MQTT_PORT: '0' },
      cwd: '/srv',
    });
    expect(config.stateDir).toBe('/srv/state');
    expect(config.db.key).toBe(key);
    expect(config.http.port).toBe(9000);
    expect(config.mqtt.port).toBe(0);
  });

  it('lets the environment override the JSON file', () => {
    const dir = tempDir();
    const file = join(dir, 'hema3n.json');
    writeFileSync(file, JSON.stringify({ http: { port: 7000, host: '0.0.0.0' }, logLevel: 'debug' }));
    const config = loadConfig({ env: { HEMA3N_CONFIG: file, HEMA3N_HTTP_PORT: '7001' }, cwd: dir });
    expect(config.http).toEqual({ host: '0.0.0.0', port: 7001 });
    expect(config.logLevel).toBe('debug');
  });

  it('reports every invalid field at once, naming the environment variable behind it', () => {
    const error = configError({ HEMA3N_HTTP_PORT: '70000', HEMA3N_DB_KEY: 'short', HEMA3N_MODE: 'staging', HEMA3N_MQTT_PORT: 'x' });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues.map((i) => i.field).sort()).toEqual([
      'db.key (HEMA3N_DB_KEY)',
      'http.port (HEMA3N_HTTP_PORT)',
      'mode (HEMA3N_MODE)',
      'mqtt.port (HEMA3N_MQTT_PORT)',
    ]);
  });

  it('rejects unknown keys in the file so a typo never falls back to a default', () => {
    const dir = tempDir();
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ http: { prot: 80 } }));
    const error = configError({ HEMA3N_CONFIG: file }, dir);
    expect(error.issues[0]?.field).toBe('http');
    expect(error.issues[0]?.problem).toMatch(/prot/);
  });

  it('refuses a config file that is not a JSON object', () => {
    const dir = tempDir();
    const file = join(dir, 'c.json');
    writeFileSync(file, '[1, 2]');
    expect(configError({ HEMA3N_CONFIG: file }, dir).code).toBe('CONFIG_INVALID');
    expect(configError({ HEMA3N_CONFIG: join(dir, 'missing.json') }, dir).code).toBe('CONFIG_FILE_UNREADABLE');
  });

  it('is deeply frozen', () => {
    const config = loadConfig({ env: {}, cwd: '/tmp' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
    expect(() => {
      (config.http as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});
