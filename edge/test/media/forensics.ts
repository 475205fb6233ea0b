import { createDecipheriv } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { databasePath } from '../../src/store/index.js';

export const WINDOW = 64;
const BASE = 257;

/** A run of one byte value (digital silence, padding) says nothing about where it came from: zeroed pages are full of them. */
function uniform(bytes: Buffer, at: number): boolean {
  for (let i = at + 1; i < at + WINDOW; i++) if (bytes[i] !== bytes[at]) return false;
  return true;
}

/**
 * Which needles have any WINDOW-byte run (other than a run of one byte value) somewhere in a
 * haystack: a Rabin-Karp scan, so every offset of both is tried, not only aligned blocks. The
 * needles are indexed once; the returned function scans each haystack in one pass.
 */
export function windowFinder(needles: Readonly<Record<string, Buffer>>): (haystack: Buffer) => string[] {
  const wanted = new Map<number, Array<{ name: string; at: number }>>();
  for (const [name, needle] of Object.entries(needles)) {
    if (needle.length < WINDOW) continue;
    forEachWindowHash(needle, (hash, at) => {
      if (uniform(needle, at)) return;
      const list = wanted.get(hash);
      if (list) list.push({ name, at });
      else wanted.set(hash, [{ name, at }]);
    });
  }
  return (haystack) => {
    const found = new Set<string>();
    if (haystack.length < WINDOW) return [];
    forEachWindowHash(haystack, (hash, at) => {
      for (const candidate of wanted.get(hash) ?? []) {
        if (!found.has(candidate.name) && needles[candidate.name]!.compare(haystack, at, at + WINDOW, candidate.at, candidate.at + WINDOW) === 0) found.add(candidate.name);
      }
    });
    return [...found].sort();
  };
}

function forEachWindowHash(bytes: Buffer, visit: (hash: number, at: number) => void): void {
  let top = 1;
  for (let i = 1; i < WINDOW; i++) top = Math.imul(top, BASE) >>> 0;
  let hash = 0;
  for (let i = 0; i < WINDOW; i++) hash = (Math.imul(hash, BASE) + bytes[i]!) >>> 0;
  visit(hash, 0);
  for (let at = 1; at + WINDOW <= bytes.length; at++) {
    hash = (hash - Math.imul(bytes[at - 1]!, top)) >>> 0;
    hash = (Math.imul(hash, BASE) + bytes[at + WINDOW - 1]!) >>> 0;
    visit(hash, at);
  }
}

/** The entropy-coded scan of a JPEG: what is specific to this picture (tables and headers are shared by every JPEG of the encoder). */
export function jpegScanData(jpeg: Buffer): Buffer {
  const sos = jpeg.lastIndexOf(Buffer.from([0xff, 0xda]));
  return jpeg.subarray(sos + 2 + jpeg.readUInt16BE(sos + 2), jpeg.length - 2);
}

/** Every regular file under dir modified at or after `since` (ms), skipping what vanishes or cannot be read. */
export function filesModifiedSince(dir: string, since: number): string[] {
  const found: string[] = [];
  const walk = (path: string): void => {
    let entries;
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) {
        try {
          if (statSync(child).mtimeMs >= since) found.push(child);
        } catch {
          // removed meanwhile by another test
        }
      }
    }
  };
  walk(dir);
  return found;
}

export function readIfPresent(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    return Buffer.alloc(0);
  }
}

const PAGE_SIZE = 4096;
/** SQLCipher v4: a 16-byte IV and a 64-byte HMAC-SHA512 at the end of every page. */
const RESERVE = 80;
const SALT = 16;
const WAL_HEADER = 32;
const WAL_FRAME_HEADER = 24;

/**
 * Decrypts SQLCipher v4 pages with the raw key (AES-256-CBC, IV from the page's reserved tail; page
 * 1 keeps its salt in clear in its first 16 bytes). Free pages and unused cell space are decrypted
 * too, which no SELECT reaches: this is what shows secure_delete really overwrote a deleted row.
 */
export function decryptPage(page: Buffer, pageNumber: number, key: Buffer): Buffer {
  const start = pageNumber === 1 ? SALT : 0;
  const iv = page.subarray(PAGE_SIZE - RESERVE, PAGE_SIZE - RESERVE + 16);
  const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  return Buffer.concat([decipher.update(page.subarray(start, PAGE_SIZE - RESERVE)), decipher.final()]);
}

/** All pages of the main database file, decrypted, concatenated. */
export function decryptDatabaseFile(file: Buffer, key: Buffer): Buffer {
  const pages: Buffer[] = [];
  for (let at = 0; at + PAGE_SIZE <= file.length; at += PAGE_SIZE) pages.push(decryptPage(file.subarray(at, at + PAGE_SIZE), at / PAGE_SIZE + 1, key));
  return Buffer.concat(pages);
}

/** All page images in a WAL file (every frame, including ones a checkpoint has already copied), decrypted. */
export function decryptWalFile(wal: Buffer, key: Buffer): Buffer {
  const pages: Buffer[] = [];
  for (let at = WAL_HEADER; at + WAL_FRAME_HEADER + PAGE_SIZE <= wal.length; at += WAL_FRAME_HEADER + PAGE_SIZE) {
    const pageNumber = wal.readUInt32BE(at);
    pages.push(decryptPage(wal.subarray(at + WAL_FRAME_HEADER, at + WAL_FRAME_HEADER + PAGE_SIZE), pageNumber, key));
  }
  return Buffer.concat(pages);
}

/** Decrypted pages of the appliance's database file and of every frame of its WAL. */
export function decryptedPages(stateDir: string, key: Buffer): Buffer {
  const path = databasePath(stateDir);
  return Buffer.concat([decryptDatabaseFile(readIfPresent(path), key), decryptWalFile(readIfPresent(`${path}-wal`), key)]);
}
