import { tmpdir } from 'node:os';
import sqlcipher from '@journeyapps/sqlcipher';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { MediaSummary } from '../../src/media/index.js';
import { databasePath } from '../../src/store/index.js';
import { randomKeyHex } from '../support/temp.js';
import { espeakWav, photoLikeRgb, useScratchDir } from './fixtures.js';
import { decryptedPages, filesModifiedSince, jpegScanData, readIfPresent, windowFinder } from './forensics.js';
import { useMediaAppliance, type MediaAppliance } from './media-support.js';

const startAppliance = useMediaAppliance();
const scratch = useScratchDir();

/** For each file, the needles found in it, as "<needle> in <file>". */
function plaintextHits(find: (haystack: Buffer) => string[], files: readonly string[]): string[] {
  return files.flatMap((file) => find(readIfPresent(file)).map((name) => `${name} in ${file}`));
}

/** Every BLOB of every table, read through SQLCipher itself (@journeyapps/sqlcipher, as in the encryption tests). */
async function allBlobsAndMediaCount(path: string, keyHex: string, mediaId: string): Promise<{ blobs: Buffer; count: number }> {
  const db = new sqlcipher.Database(path);
  const all = (sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> =>
    new Promise((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as Array<Record<string, unknown>>))));
  try {
    await all('PRAGMA cipher_compatibility = 4');
    await all(`PRAGMA key = "x'${keyHex}'"`);
    const [{ n }] = (await all('SELECT count(*) AS n FROM media WHERE id = ?', [mediaId])) as [{ n: number }];
    const tables = (await all(`SELECT name FROM sqlite_master WHERE type = 'table'`)).map((r) => r.name as string);
    const blobs: Buffer[] = [];
    for (const table of tables) {
      const columns = (await all(`SELECT name FROM pragma_table_info(?)`, [table])).map((r) => r.name as string);
      for (const column of columns) {
        const rows = await all(`SELECT "${column}" AS v FROM "${table}" WHERE typeof("${column}") = 'blob'`);
        blobs.push(...rows.map((r) => r.v as Buffer));
      }
    }
    return { blobs: Buffer.concat(blobs), count: n };
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

async function storedFile(t: MediaAppliance, path: string): Promise<Buffer> {
  return Buffer.from(await (await t.api('GET', path)).arrayBuffer());
}

describe('deleting a case photo or recording', () => {
  it('leaves no copy of the photo, its thumbnail or the upload anywhere: not in the files, not in any decrypted page, not in any row', async () => {
    const since = Date.now() - 1000;
    const keyHex = randomKeyHex();
    const key = Buffer.from(keyHex, 'hex');
    const t = await startAppliance({ HEMA3N_DB_KEY: keyHex });
    const upload = await sharp(photoLikeRgb(900, 700), { raw: { width: 900, height: 700, channels: 3 } }).png().toBuffer();
    const stored = (await (await t.upload(t.caseId, upload, 'image/png', 'scene.png')).json()) as MediaSummary;
    // The stored copy is the normalised re-encode: its scan data (and the thumbnail's) are what must vanish.
    const find = windowFinder({
      photo: jpegScanData(await storedFile(t, `/api/v1/media/${stored.id}`)),
      thumbnail: jpegScanData(await storedFile(t, `/api/v1/media/${stored.id}/thumbnail`)),
      upload,
    });

    // Encrypted at rest: no plaintext on disk even while it is stored; decrypted, it is there (the scan works).
    expect(plaintextHits(find, filesModifiedSince(t.stateDir, 0))).toEqual([]);
    expect(find(decryptedPages(t.stateDir, key))).toEqual(['photo', 'thumbnail']);

    const deleted = await t.api('DELETE', `/api/v1/media/${stored.id}`);
    expect(deleted.status).toBe(204);
    expect((await t.api('GET', `/api/v1/media/${stored.id}`)).status).toBe(404);

    // While the appliance still runs (WAL live), and again once it has stopped.
    expect(find(decryptedPages(t.stateDir, key))).toEqual([]);
    await t.stop();
    expect(find(decryptedPages(t.stateDir, key))).toEqual([]);
    expect(plaintextHits(find, [...filesModifiedSince(t.stateDir, 0), ...filesModifiedSince(tmpdir(), since)])).toEqual([]);
    const { blobs, count } = await allBlobsAndMediaCount(databasePath(t.stateDir), keyHex, stored.id);
    expect(count).toBe(0);
    expect(find(blobs)).toEqual([]);
  });

  it('leaves no sample of a deleted voice note in any decrypted page, and audits the deletion', async () => {
    const keyHex = randomKeyHex();
    const key = Buffer.from(keyHex, 'hex');
    const t = await startAppliance({ HEMA3N_DB_KEY: keyHex });
    const speech = espeakWav(scratch(), 'note.wav', 'Suspected fractured left femur, traction splint applied.');
    const stored = (await (await t.upload(t.caseId, speech, 'audio/wav', 'note.wav')).json()) as MediaSummary;
    const find = windowFinder({ samples: (await storedFile(t, `/api/v1/media/${stored.id}`)).subarray(44) });
    expect(find(decryptedPages(t.stateDir, key))).toEqual(['samples']);

    expect((await t.api('DELETE', `/api/v1/media/${stored.id}`)).status).toBe(204);

    expect(find(decryptedPages(t.stateDir, key))).toEqual([]);
    const audit = t.appliance.store.store.db.prepare(`SELECT actor, resource FROM audit WHERE action = 'media.delete'`).all();
    expect(audit).toEqual([{ actor: `crew:${t.crewId}`, resource: `media/${stored.id}` }]);
    expect((await t.api('DELETE', `/api/v1/media/${stored.id}`)).status).toBe(404);
  });
});
