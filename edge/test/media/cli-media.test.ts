import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databasePath, openDatabase } from '../../src/store/index.js';
import { jsonError, runHema3n } from '../support/cli.js';
import { randomKeyHex, useTempDirs } from '../support/temp.js';
import { espeakWav, jpegWithEverything, photoJpeg } from './fixtures.js';

const tempDir = useTempDirs();

describe('hema3n media add', () => {
  it('stores a photo and a voice note for a case, prints {id, kind, contentType, bytes}, and refuses bad input by code', async () => {
    const dir = tempDir();
    const key = randomKeyHex();
    const env = { HEMA3N_STATE_DIR: dir, HEMA3N_DB_KEY: key };
    const { id: caseId } = JSON.parse((await runHema3n(['cases', 'create', '--json'], env)).stdout) as { id: string };
    const photo = join(dir, 'wound.jpg');
    writeFileSync(photo, await jpegWithEverything(640, 480));
    espeakWav(dir, 'note.wav', 'Patient alert, airway patent.');
    const cut = join(dir, 'cut.jpg');
    writeFileSync(cut, (await photoJpeg(320, 240)).subarray(0, 3000));

    const [image, audio, truncated, unknownCase] = await Promise.all([
      runHema3n(['media', 'add', caseId, photo, '--json'], env),
      runHema3n(['media', 'add', caseId, join(dir, 'note.wav'), '--json'], env),
      runHema3n(['media', 'add', caseId, cut, '--json'], env),
      runHema3n(['media', 'add', '00000000-0000-4000-8000-000000000000', photo, '--json'], env),
    ]);

    expect(image.code).toBe(0);
    const stored = JSON.parse(image.stdout) as Record<string, unknown>;
    expect(Object.keys(stored).sort()).toEqual(['bytes', 'contentType', 'id', 'kind']);
    expect(stored).toMatchObject({ kind: 'image', contentType: 'image/jpeg' });
    expect(JSON.parse(audio.stdout)).toMatchObject({ kind: 'audio', contentType: 'audio/wav' });
    expect([truncated.code, jsonError(truncated).code]).toEqual([65, 'MEDIA_TRUNCATED']);
    expect([unknownCase.code, jsonError(unknownCase).code]).toEqual([66, 'NOT_FOUND']);

    const db = openDatabase({ path: databasePath(dir), key: Buffer.from(key, 'hex'), readonly: true });
    const rows = db.prepare('SELECT kind, case_id AS caseId, origin FROM media ORDER BY kind').all();
    const audited = db.prepare(`SELECT count(*) AS n FROM audit WHERE action = 'media.create' AND actor LIKE 'cli:%'`).get();
    db.close();
    expect(rows).toEqual([
      { kind: 'audio', caseId, origin: expect.stringMatching(/^cli:/) },
      { kind: 'image', caseId, origin: expect.stringMatching(/^cli:/) },
    ]);
    expect(audited).toEqual({ n: 2 });
  });

  it('refuses a missing file with INPUT_INVALID and missing arguments with USAGE', async () => {
    const env = { HEMA3N_STATE_DIR: tempDir(), HEMA3N_DB_KEY: randomKeyHex() };
    const [missing, usage] = await Promise.all([
      runHema3n(['media', 'add', '00000000-0000-4000-8000-000000000000', '/nonexistent/photo.jpg', '--json'], env),
      runHema3n(['media', 'add', '--json'], env),
    ]);
    expect([missing.code, jsonError(missing).code, jsonError(missing).issues]).toEqual([65, 'INPUT_INVALID', [{ field: 'file', problem: 'does not exist or is not readable' }]]);
    expect([usage.code, jsonError(usage).code]).toEqual([64, 'USAGE']);
  });
});
