export { loadOrCreateIdentity, publicIdentity, IDENTITY_FILE, type CloudIdentity, type PublicCloudIdentity } from './cloud-identity.js';
