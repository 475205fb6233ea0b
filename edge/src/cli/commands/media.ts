import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { z } from 'zod';
import { parseInput } from '../../api/index.js';
import { Hema3nError } from '../../errors.js';
import { MediaError, MediaService, processAudioHere } from '../../media/index.js';
import type { Command } from '../command.js';
import { print, usage } from '../output.js';

const Args = z.object({ caseId: z.uuid(), file: z.string().min(1) });

/** What the file name says it is; any other name leaves it to the magic bytes. */
const TYPE_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.avif': 'image/avif',
  '.wav': 'audio/wav',
};

export const mediaAdd: Command = {
  path: 'media add',
  summary: 'check, normalise and store a photo or WAV recording for a case',
  usage: '<caseId> <file>',
  async run(ctx, args) {
    if (args.positionals.length !== 2) throw usage('media add needs <caseId> and <file>');
    const { caseId, file } = parseInput(Args, { caseId: args.positionals[0], file: args.positionals[1] }, 'media add');
    const limits = ctx.config().media;
    const data = readMediaFile(file, Math.max(limits.maxImageBytes, limits.maxAudioBytes));
    const stored = await ctx.withStore((store, audit) => {
      const media = new MediaService({ store: () => store, audit: () => audit, limits, audio: processAudioHere, now: ctx.now });
      return media.add({ caseId, data, declaredContentType: TYPE_BY_EXTENSION[extname(file).toLowerCase()], actor: ctx.actor });
    });
    const { id, kind, contentType, bytes } = stored;
    print(ctx.io, ctx.json, { id, kind, contentType, bytes }, () => `media ${id} stored for case ${caseId} (${contentType}, ${bytes} bytes)`);
    return 0;
  },
};

/** Refuses an oversized file from its size alone, before reading it. */
function readMediaFile(path: string, maxBytes: number): Buffer {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (cause) {
    throw new Hema3nError('INPUT_INVALID', 'The media file cannot be read', { cause, issues: [{ field: 'file', problem: 'does not exist or is not readable' }] });
  }
  if (size > maxBytes) throw new MediaError('MEDIA_TOO_LARGE', `The file is ${size} bytes; the limit is ${maxBytes}`);
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new Hema3nError('INPUT_INVALID', 'The media file cannot be read', { cause, issues: [{ field: 'file', problem: 'is not a readable file' }] });
  }
}
