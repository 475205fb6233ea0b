import { statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Hema3nError } from '../../errors.js';
import { checkIntegrity, exportEncrypted, integrityOk, rekey } from '../../store/index.js';
import { resolveDbKey } from '../../keys/index.js';
import { stringOption, type Command } from '../command.js';
import { print, usage } from '../output.js';

export const dbVerify: Command = {
  path: 'db verify',
  summary: 'integrity_check, cipher_integrity_check and the audit hash chain',
  usage: '',
  async run(ctx) {
    const result = await ctx.withStore((store, audit) => {
      const integrity = checkIntegrity(store.db);
      const chain = audit.verify();
      return { ok: integrityOk(integrity) && chain.ok, integrity, audit: chain };
    });
    print(ctx.io, ctx.json, result, () =>
      [
        `integrity_check:        ${result.integrity.integrity.join(', ')}`,
        `cipher_integrity_check: ${result.integrity.cipherIntegrity.length === 0 ? 'ok' : result.integrity.cipherIntegrity.join(', ')}`,
        `audit chain:            ${result.audit.ok ? 'ok' : 'BROKEN'} (${result.audit.entries} entries)`,
        ...result.audit.problems.map((p) => `  - ${JSON.stringify(p)}`),
      ].join('\n'),
    );
    if (!integrityOk(result.integrity)) throw new Hema3nError('DB_CORRUPT', 'The database failed its integrity checks');
    if (!result.audit.ok) throw new Hema3nError('AUDIT_CHAIN_BROKEN', `The audit chain has ${result.audit.problems.length} problem(s)`);
    return 0;
  },
};

export const dbRekey: Command = {
  path: 'db rekey',
  summary: 're-encrypt the database under a new key (the daemon must be stopped)',
  usage: '--new-key-file <path> | --generate-key-file <path>',
  options: { 'new-key-file': { type: 'string' }, 'generate-key-file': { type: 'string' } },
  async run(ctx, args) {
    const existing = stringOption(args, 'new-key-file');
    const generate = stringOption(args, 'generate-key-file');
    if (Boolean(existing) === Boolean(generate)) throw usage('db rekey needs exactly one of --new-key-file or --generate-key-file');
    const path = resolve(ctx.io.cwd, (existing ?? generate)!);
    if (generate) writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    const newKey = await resolveDbKey({
      settings: { keyProvider: 'file', keyFile: path },
      mode: 'production',
      stateDir: ctx.config().stateDir,
      databaseExists: true,
      warn: () => {},
    });
    await ctx.withStore((store, audit) => {
      try {
        rekey(store.db, newKey.bytes);
      } catch (cause) {
        throw new Hema3nError('CONFLICT', 'Rekey needs the database to itself: stop the daemon first', { cause });
      }
      audit.append({ actor: ctx.actor, action: 'db.rekey', resource: 'database' });
    });
    print(ctx.io, ctx.json, { ok: true, keyFile: path }, () => `database re-encrypted; point HEMA3N_DB_KEY_FILE at ${path}`);
    return 0;
  },
};

export const dbExport: Command = {
  path: 'db export',
  summary: 'encrypted online backup (same key) into a new file',
  usage: '<destination>',
  async run(ctx, args) {
    const target = args.positionals[0];
    if (!target) throw usage('db export needs a destination path');
    const destination = resolve(ctx.io.cwd, target);
    await ctx.withStore(async (store, audit) => {
      const key = await resolveDbKey({ settings: ctx.config().db, mode: ctx.config().mode, stateDir: ctx.config().stateDir, databaseExists: true, warn: () => {} });
      audit.append({ actor: ctx.actor, action: 'db.export', resource: 'database' });
      exportEncrypted(store.db, destination, key.bytes);
    });
    const bytes = statSync(destination).size;
    print(ctx.io, ctx.json, { ok: true, path: destination, bytes }, () => `exported ${bytes} bytes (encrypted) to ${destination}`);
    return 0;
  },
};
