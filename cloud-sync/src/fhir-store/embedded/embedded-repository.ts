import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { matchesSearchRequest } from '@medplum/core';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { CloudError, type CloudIssue } from '../../errors.js';
import { closeSqlite, openSqlite, scrubDeleted, type SqliteDatabase } from '../../sqlite/index.js';
import type { SearchQuery, TransactionOptions, VersionedFhirRepository } from '../repository.js';
import { checkTransactionBundle } from '../validation.js';
import { planTransaction, type PlannedDelete, type PlannedEntry, type PlannedWrite } from './plan.js';
import { indexedReferences } from './references.js';
import { FHIR_STORE_FILE, FHIR_STORE_MIGRATIONS } from './schema.js';
import { planSearch } from './search-plan.js';

interface VersionRow {
  version_id: number;
}

function notFound(type: string, id: string, versionId?: string): CloudError {
  const what = versionId === undefined ? `${type}/${id}` : `${type}/${id}/_history/${versionId}`;
  return new CloudError('FHIR_NOT_FOUND', `${what} does not exist`);
}

function searchset(total: number, resources: readonly Resource[]): Bundle {
  return { resourceType: 'Bundle', type: 'searchset', total, entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })) };
}

/**
 * The embedded FHIR R4 store: SQLite in the state directory (WAL, synchronous=FULL), a row per
 * resource plus its history, a transaction applied inside one SQLite transaction. The store sets
 * meta.versionId (1, 2, 3, ...) and meta.lastUpdated on every write. A DELETE expunges: the
 * resource, its history and its index rows go, and their bytes leave the file (see scrubDeleted()).
 */
export class EmbeddedFhirRepository implements VersionedFhirRepository {
  readonly kind = 'embedded';
  private readonly statements;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number,
    private readonly newId: () => string = randomUUID,
  ) {
    this.statements = {
      version: db.prepare<[string, string], VersionRow>('SELECT version_id FROM resources WHERE type = ? AND id = ?'),
      read: db.prepare<[string, string], { json: string }>('SELECT json FROM resources WHERE type = ? AND id = ?'),
      readVersion: db.prepare<[string, string, number], { json: string }>('SELECT json FROM resource_history WHERE type = ? AND id = ? AND version_id = ?'),
      history: db.prepare<[string, string], { json: string }>('SELECT json FROM resource_history WHERE type = ? AND id = ? ORDER BY version_id DESC'),
      upsert: db.prepare(
        `INSERT INTO resources (type, id, version_id, last_updated, json) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (type, id) DO UPDATE SET version_id = excluded.version_id, last_updated = excluded.last_updated, json = excluded.json`,
      ),
      insertHistory: db.prepare('INSERT INTO resource_history (type, id, version_id, last_updated, json) VALUES (?, ?, ?, ?, ?)'),
      deleteReferences: db.prepare('DELETE FROM resource_references WHERE type = ? AND id = ?'),
      deleteResource: db.prepare('DELETE FROM resources WHERE type = ? AND id = ?'),
      deleteHistory: db.prepare('DELETE FROM resource_history WHERE type = ? AND id = ?'),
      insertReference: db.prepare('INSERT OR IGNORE INTO resource_references (type, id, code, target_type, target_id) VALUES (?, ?, ?, ?, ?)'),
      applied: db.prepare<[string], { response: string }>('SELECT response FROM applied_transactions WHERE idempotency_key = ?'),
      recordApplied: db.prepare('INSERT INTO applied_transactions (idempotency_key, response, applied_at) VALUES (?, ?, ?)'),
    };
  }

  /** Opens `fhir.db` in the state directory (created on first use). */
  static open(stateDir: string, now: () => number): EmbeddedFhirRepository {
    return new EmbeddedFhirRepository(openSqlite(join(stateDir, FHIR_STORE_FILE), FHIR_STORE_MIGRATIONS), now);
  }

  async transaction(bundle: Bundle, options: TransactionOptions = {}): Promise<Bundle> {
    const entries = checkTransactionBundle(bundle);
    const response = this.db.transaction(() => {
      const key = options.idempotencyKey;
      const earlier = key === undefined ? undefined : this.statements.applied.get(key);
      if (earlier) return JSON.parse(earlier.response) as Bundle;
      const applied = this.apply(planTransaction(entries, this.newId));
      if (key !== undefined) this.statements.recordApplied.run(key, JSON.stringify(applied), this.now());
      return applied;
    }).immediate();
    // A DELETE is how the appliance takes back PHI that must not exist (a photo of the wrong patient).
    if (entries.some((entry) => entry.method === 'DELETE')) scrubDeleted(this.db);
    return response;
  }

  /** Checks every If-Match first, so a conflict leaves nothing written and names every conflicting entry. */
  private apply(planned: readonly PlannedEntry[]): Bundle {
    const current = planned.map((item) => this.statements.version.get(item.type, item.id)?.version_id);
    const conflicts: CloudIssue[] = planned.flatMap((item, i) => {
      if (item.ifMatch === undefined || String(current[i]) === item.ifMatch) return [];
      const found = current[i] === undefined ? 'it does not exist' : `the current version is ${current[i]}`;
      return [{ field: `Bundle.entry[${item.index}]`, problem: `${item.type}/${item.id}: If-Match W/"${item.ifMatch}" but ${found}` }];
    });
    if (conflicts.length > 0) throw new CloudError('FHIR_CONFLICT', `Version conflict on ${conflicts.length} resource(s)`, { issues: conflicts });
    const at = this.now();
    const lastModified = new Date(at).toISOString();
    const entry: BundleEntry[] = planned.map((item, i) => {
      if (item.kind === 'delete') return this.expunge(item);
      const versionId = (current[i] ?? 0) + 1;
      this.write(item, versionId, at);
      return {
        response: {
          status: current[i] === undefined ? '201 Created' : '200 OK',
          location: `${item.type}/${item.id}/_history/${versionId}`,
          etag: `W/"${versionId}"`,
          lastModified,
        },
      };
    });
    return { resourceType: 'Bundle', type: 'transaction-response', entry };
  }

  /**
   * Unlike FHIR's usual delete, which keeps the history, this removes every version: what is
   * deleted is data that must not exist. Deleting what is not there succeeds (the bundle may be
   * resent), so the answer is the same 204 either way.
   */
  private expunge(target: PlannedDelete): BundleEntry {
    this.statements.deleteResource.run(target.type, target.id);
    this.statements.deleteHistory.run(target.type, target.id);
    this.statements.deleteReferences.run(target.type, target.id);
    return { response: { status: '204 No Content' } };
  }

  private write(write: PlannedWrite, versionId: number, at: number): void {
    const resource = { ...write.resource, meta: { ...write.resource.meta, versionId: String(versionId), lastUpdated: new Date(at).toISOString() } };
    const json = JSON.stringify(resource);
    this.statements.upsert.run(write.type, write.id, versionId, at, json);
    this.statements.insertHistory.run(write.type, write.id, versionId, at, json);
    this.statements.deleteReferences.run(write.type, write.id);
    for (const ref of indexedReferences(resource)) this.statements.insertReference.run(write.type, write.id, ref.code, ref.targetType, ref.targetId);
  }

  async read<T extends Resource = Resource>(type: string, id: string): Promise<T> {
    const row = this.statements.read.get(type, id);
    if (!row) throw notFound(type, id);
    return JSON.parse(row.json) as T;
  }

  async readVersion<T extends Resource = Resource>(type: string, id: string, versionId: string): Promise<T> {
    const version = /^[1-9][0-9]{0,15}$/.test(versionId) ? Number(versionId) : NaN;
    const row = Number.isSafeInteger(version) ? this.statements.readVersion.get(type, id, version) : undefined;
    if (!row) throw notFound(type, id, versionId);
    return JSON.parse(row.json) as T;
  }

  async history(type: string, id: string): Promise<Bundle> {
    const rows = this.statements.history.all(type, id);
    if (rows.length === 0) throw notFound(type, id);
    return { resourceType: 'Bundle', type: 'history', total: rows.length, entry: rows.map((row) => ({ resource: JSON.parse(row.json) as Resource })) };
  }

  /**
   * SQL narrows by type, _id and the indexed references; medplum's matchesSearchRequest decides
   * the rest (dates, tokens, _lastUpdated ...) on each candidate. `total` is exact.
   */
  async search(type: string, query: SearchQuery): Promise<Bundle> {
    const plan = planSearch(type, query);
    const order = plan.descending ? 'DESC' : 'ASC';
    const from = `FROM resources r WHERE ${plan.where.join(' AND ')}`;
    const select = `SELECT r.json ${from} ORDER BY r.last_updated ${order}, r.id ${order}`;
    if ((plan.residual.filters?.length ?? 0) === 0) {
      const { total } = this.db.prepare<(string | number)[], { total: number }>(`SELECT count(*) AS total ${from}`).get(...plan.params)!;
      const rows = this.db.prepare<(string | number)[], { json: string }>(`${select} LIMIT ? OFFSET ?`).all(...plan.params, plan.count, plan.offset);
      return searchset(total, rows.map((row) => JSON.parse(row.json) as Resource));
    }
    const page: Resource[] = [];
    let total = 0;
    for (const row of this.db.prepare<(string | number)[], { json: string }>(select).iterate(...plan.params)) {
      const resource = JSON.parse(row.json) as Resource;
      if (!matchesSearchRequest(resource, plan.residual)) continue;
      if (total >= plan.offset && page.length < plan.count) page.push(resource);
      total++;
    }
    return searchset(total, page);
  }

  async close(): Promise<void> {
    closeSqlite(this.db);
  }
}
