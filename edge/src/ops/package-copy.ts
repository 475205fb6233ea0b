import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fsyncPath } from './durable-fs.js';
import type { Progress } from './progress.js';

export interface CopiedFile {
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * Streams one file into the staging directory, hashing what was written as it goes (one read of
 * a large file, constant memory), then fsyncs it. The caller compares the result with the
 * signed manifest; nothing here trusts the source.
 */
export async function copyHashed(source: string, target: string, progress: Progress): Promise<CopiedFile> {
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      progress.advance(chunk.length);
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(source, { highWaterMark: 1024 * 1024 }), meter, createWriteStream(target, { flags: 'wx', mode: 0o644 }));
  await fsyncPath(target);
  return { sha256: hash.digest('hex'), bytes };
}
