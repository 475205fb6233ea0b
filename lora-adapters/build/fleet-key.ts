/**
 * Makes an Ed25519 fleet signing key pair: the secret half signs model and adapter packages on a
 * release machine, the public half is installed on every appliance (HEMA3N_FLEET_PUBLIC_KEY).
 *
 *   node --import tsx lora-adapters/build/fleet-key.ts --secret <file> --public <file>
 *
 * Refuses to overwrite either file. The repo's fleet-dev.key / models/fleet-dev.pub were made with it.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateSigningKeyPair } from '@hema3n/cloud-sync/wire';

const { values } = parseArgs({ options: { secret: { type: 'string' }, public: { type: 'string' } } });
if (!values.secret || !values.public) {
  console.error('usage: fleet-key.ts --secret <file> --public <file>');
  process.exit(64);
}
for (const file of [values.secret, values.public]) {
  if (existsSync(file)) {
    console.error(`${file} exists; not overwriting a key`);
    process.exit(73);
  }
}
const pair = await generateSigningKeyPair();
writeFileSync(values.secret, `${pair.secretKey}\n`, { mode: 0o600 });
writeFileSync(values.public, `${pair.publicKey}\n`);
console.log(JSON.stringify({ publicKey: pair.publicKey, secretFile: values.secret, publicFile: values.public }));
