/**
 * Signs a model package's manifest.json or an adapter's adapter.json with a fleet key, in place
 * (the `signature` field is replaced; every other field is signed as it is).
 *
 *   node --import tsx lora-adapters/build/sign-package.ts --model models/hema3n-core
 *   node --import tsx lora-adapters/build/sign-package.ts --adapter lora-adapters/cardiology
 *   ... --key <secret key file>   (default: lora-adapters/build/fleet-dev.key, DEVELOPMENT ONLY)
 *
 * Rebuilding the reference model rewrites manifest.json without a signature: sign it again after.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ADAPTER_DOCUMENT } from '../../edge/src/inference/index.js';
import { DEV_FLEET_SECRET_KEY_FILE, readSecretKey, writeSignedDocument } from './package.js';

const { values } = parseArgs({ options: { model: { type: 'string' }, adapter: { type: 'string' }, key: { type: 'string' } } });
const target = values.model ? { kind: 'model' as const, file: join(values.model, 'manifest.json') } : values.adapter ? { kind: 'adapter' as const, file: join(values.adapter, ADAPTER_DOCUMENT) } : null;
if (!target) {
  console.error('usage: sign-package.ts (--model <dir> | --adapter <dir>) [--key <secret key file>]');
  process.exit(64);
}
const keyFile = values.key ?? DEV_FLEET_SECRET_KEY_FILE;
const document = JSON.parse(readFileSync(target.file, 'utf8')) as Record<string, unknown>;
await writeSignedDocument(target.kind, target.file, document, readSecretKey(keyFile));
console.log(JSON.stringify({ signed: target.file, kind: target.kind, key: keyFile === DEV_FLEET_SECRET_KEY_FILE ? 'development' : keyFile }));
