import { hashSecret, newDeviceSecret } from '../edge/src/keys/index.js';
import { databasePath, Store } from '../edge/src/store/index.js';
const dir = process.argv[2]; const key = process.argv[3];
const store = Store.open({ path: databasePath(dir), key: Buffer.from(key, 'hex'), groupCommit: { maxRows: 2000, maxDelayMs: 0 } });
const devs = [];
for (let i = 0; i < 50; i++) { const d = { id: 'p' + i, secret: newDeviceSecret() }; store.devices.add({ id: d.id, kind: 'monitor', secretHash: await hashSecret(d.secret, 'deviceSecret'), now: Date.now() }); devs.push(d); }
store.cases.create({ actor: 'x', now: Date.now() }); store.close();
console.log(JSON.stringify(devs));
