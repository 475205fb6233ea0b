export { resolveDbKey, devKeyPath, type DbKey, type DbKeyContext, type DbKeySettings, type KeyProviderName } from './db-key.js';
export { hashSecret, verifySecret, newDeviceSecret, type SecretKind } from './secrets.js';
export { generateIdentity, type NewIdentity } from './identity.js';
export { readySodium } from './sodium.js';
