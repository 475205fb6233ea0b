import { checkIntegrity, databaseExists, databasePath, integrityOk } from '../store/index.js';
import { ERROR_CATALOGUE } from '../errors.js';
import { fail, ok, warn, type Check, type DoctorContext, type Finding } from './doctor.js';

/** Opens the database with the configured key (a wrong key fails here, by code), then runs the integrity and audit checks. */
export function databaseCheck(c: DoctorContext): Check {
  return {
    name: 'database',
    async run(): Promise<Finding> {
      const { stateDir, mode } = c.config;
      if (!databaseExists(stateDir)) {
        const detail = `no database at ${databasePath(stateDir)}`;
        const fix = 'Run `hema3n provision` (or check HEMA3N_STATE_DIR).';
        return mode === 'production' ? fail(detail, fix) : warn(`${detail} (development makes one at the first start)`, fix);
      }
      const result = await c.withStore((store, audit) => ({
        integrity: checkIntegrity(store.db),
        chain: audit.verify(),
        identity: store.identity.get()?.applianceId ?? null,
      }));
      if (!integrityOk(result.integrity)) return fail(`integrity check: ${[...result.integrity.integrity, ...result.integrity.cipherIntegrity].slice(0, 3).join('; ')}`, ERROR_CATALOGUE.DB_CORRUPT.fix);
      if (!result.chain.ok) return fail(`audit chain has ${result.chain.problems.length} problem(s) in ${result.chain.entries} entries`, ERROR_CATALOGUE.AUDIT_CHAIN_BROKEN.fix);
      const detail = `opens with the ${c.config.db.keyProvider} key provider; integrity, cipher integrity and audit chain (${result.chain.entries} entries) ok`;
      if (!result.identity) return mode === 'production' ? fail(`${detail}; no appliance identity`, ERROR_CATALOGUE.IDENTITY_MISSING.fix) : ok(`${detail}; no identity yet (development)`);
      return ok(`${detail}; appliance ${result.identity}`);
    },
  };
}
