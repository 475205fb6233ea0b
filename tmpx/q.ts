import { openDatabase } from '../edge/src/store/index.js';
const db = openDatabase({ path: '/tmp/s4/hema3n.db', key: Buffer.from(process.env.HEMA3N_DB_KEY!, 'hex'), readonly: true });
console.log(db.prepare('select case_ref, count(*) n from vital_signs group by case_ref').all(), db.prepare('select ref,id from cases').all(), db.prepare('select * from appliance_state where key != ?').all('identity'));
