import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadCloudConfig } from '../../../cloud-sync/src/config.js';
import { startCloud, type CloudService } from '../../../cloud-sync/src/main.js';

const CLOUD_BIN = fileURLToPath(new URL('../../../cloud-sync/bin/hema3n-cloud.js', import.meta.url));

export interface TestCloud {
  readonly service: CloudService;
  readonly url: string;
  readonly stateDir: string;
  /** What the appliance's configuration needs to talk to this cloud. */
  readonly edgeEnv: Record<string, string>;
}

/** The real cloud-sync service (embedded FHIR store) on a state dir; port 0 unless given. */
export async function startTestCloud(stateDir: string, port = 0): Promise<TestCloud> {
  const env = { HEMA3N_CLOUD_STATE_DIR: stateDir, HEMA3N_CLOUD_PORT: String(port), HEMA3N_CLOUD_LOG_LEVEL: 'silent' };
  const service = await startCloud(loadCloudConfig({ env, cwd: stateDir }));
  const url = `http://127.0.0.1:${service.port}`;
  return {
    service,
    url,
    stateDir,
    edgeEnv: { HEMA3N_CLOUD_URL: url, HEMA3N_CLOUD_BOX_KEY: service.identity.boxPublicKey, HEMA3N_CLOUD_SIGN_KEY: service.identity.signPublicKey },
  };
}

/** `hema3n-cloud appliances add`, as the pairing runbook does it. */
export function pairAppliance(cloudStateDir: string, applianceId: string, signPublicKey: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLOUD_BIN, 'appliances', 'add', applianceId, '--sign-key', signPublicKey, '--json'], {
      env: { PATH: process.env.PATH ?? '', HEMA3N_CLOUD_STATE_DIR: cloudStateDir },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`pairing failed: ${stderr}`))));
  });
}

export async function fhirSearch(cloudUrl: string, query: string): Promise<{ total: number; ids: string[] }> {
  const response = await fetch(`${cloudUrl}/fhir/R4/${query}${query.includes('?') ? '&' : '?'}_count=10000`);
  const bundle = (await response.json()) as { total?: number; entry?: Array<{ resource: { id: string } }> };
  const ids = (bundle.entry ?? []).map((e) => e.resource.id);
  return { total: bundle.total ?? ids.length, ids };
}
