import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/errors.js';
import { useTempDirs } from '../support/temp.js';

const tempDir = useTempDirs();
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const UNITS = ['systemd/hema3n-edge.service', 'systemd/hema3n-provision.service', 'jetson/hema3n-power.service'];

/** `Key=value` lines of a unit (comments skipped), in order. */
const directives = (unit: string): string[] => read(unit).split('\n').filter((l) => /^[A-Za-z]+=/.test(l));

describe('systemd units', () => {
  it('pass systemd-analyze verify (with the TPM drop-in applied), run from copies whose programs exist here', () => {
    const dir = tempDir();
    const here = (text: string): string => text.replaceAll('/usr/bin/node', process.execPath).replaceAll('/opt/hema3n/', ROOT);
    const copies = UNITS.map((unit) => {
      const copy = join(dir, unit.split('/').pop()!);
      writeFileSync(copy, here(read(unit)));
      return copy;
    });
    const withDropIn = join(dir, 'hema3n-edge-tpm.service');
    writeFileSync(withDropIn, here(`${read('systemd/hema3n-edge.service')}\n${read('jetson/wait-for-tpm.conf')}`));
    copies.push(withDropIn);
    const run = spawnSync('systemd-analyze', ['verify', ...copies], { encoding: 'utf8' });
    expect(run.error).toBeUndefined();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it.each([
    'Type=notify', 'NotifyAccess=all', 'WatchdogSec=30', 'Restart=on-failure',
    `RestartPreventExitStatus=${ERROR_CATALOGUE.DB_KEY_WRONG.exit} ${ERROR_CATALOGUE.CONFIG_INVALID.exit}`,
    'User=hema3n', 'DynamicUser=no', 'StateDirectory=hema3n', 'EnvironmentFile=/etc/hema3n/hema3n.env',
    'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'NoNewPrivileges=yes', 'CapabilityBoundingSet=',
    'SystemCallFilter=@system-service', 'SystemCallArchitectures=native', 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6',
    'DeviceAllow=/dev/nvmap rw', 'DeviceAllow=/dev/nvhost-gpu rw', 'DeviceAllow=/dev/nvgpu/igpu0/ctrl rw', 'DeviceAllow=/dev/tpmrm0 rw', 'LimitNOFILE=65536',
  ])('hema3n-edge.service sets %s', (line) => {
    expect(directives('systemd/hema3n-edge.service')).toContain(line);
  });

  it('hema3n-edge.service never sets MemoryDenyWriteExecute (V8 JIT) or PrivateDevices (the GPU)', () => {
    expect(directives('systemd/hema3n-edge.service').filter((l) => /^(MemoryDenyWriteExecute|PrivateDevices)=/.test(l))).toEqual([]);
  });

  it('hema3n-provision.service runs once before the daemon, only on an unprovisioned box, and never registers devices (secrets would reach the journal)', () => {
    const lines = directives('systemd/hema3n-provision.service');
    expect(lines).toEqual(expect.arrayContaining(['Type=oneshot', 'ConditionPathExists=!/var/lib/hema3n/hema3n.db', 'Before=hema3n-edge.service']));
    const start = lines.find((l) => l.startsWith('ExecStart='))!;
    expect(start).toContain('provision');
    expect(start).not.toContain('--roster');
  });
});

describe('the container build', () => {
  it('pins in Dockerfile.l4t the onnxruntime version package-lock.json installs', () => {
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version?: string }> };
    const pinned = /^ARG ONNXRUNTIME_VERSION=(\S+)$/m.exec(read('Dockerfile.l4t'))?.[1];
    expect(pinned).toBe(lock.packages['node_modules/onnxruntime-node']?.version);
  });

  it.each([
    'FROM ${L4T_BASE} AS', 'ARG L4T_BASE=nvcr.io/nvidia/l4t-jetpack:r36.4.0', '--branch "v${ONNXRUNTIME_VERSION}"',
    'git apply --verbose /src/onnxruntime-node-tensorrt-options.patch', '--use_tensorrt --use_cuda', '--build_nodejs',
    '--cuda_home /usr/local/cuda --cudnn_home /usr/lib/aarch64-linux-gnu --tensorrt_home /usr/lib/aarch64-linux-gnu',
    'npm ci --omit=dev', 'node_modules/onnxruntime-node/bin/napi-v6/linux/arm64/', 'USER hema3n', 'HEALTHCHECK',
  ])('Dockerfile.l4t contains %s', (text) => {
    expect(read('Dockerfile.l4t')).toContain(text);
  });

  it('runs the image with docker-compose.edge.yml: NVIDIA runtime, a state volume, the ports and a /health healthcheck', () => {
    // js-yaml is in node_modules (ESLint's); the YAML is parsed, not grepped.
    const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
    const compose = yaml.load(read('docker-compose.edge.yml')) as {
      services: Record<string, { runtime: string; build: { dockerfile: string }; ports: string[]; volumes: string[]; healthcheck: { test: string[] }; environment: Record<string, string> }>;
      volumes: Record<string, unknown>;
    };
    const edge = compose.services.edge!;
    expect(edge.runtime).toBe('nvidia');
    expect(edge.build.dockerfile).toBe('Dockerfile.l4t');
    expect(edge.ports).toEqual(['8080:8080', '1883:1883', '8883:8883']);
    expect(edge.volumes).toEqual(['hema3n-state:/var/lib/hema3n']);
    expect(Object.keys(compose.volumes)).toEqual(['hema3n-state']);
    expect(edge.environment.HEMA3N_STATE_DIR).toBe('/var/lib/hema3n');
    expect(edge.healthcheck.test).toEqual(['CMD', '/usr/local/bin/node', '/opt/hema3n/jetson/healthcheck.mjs']);
  });
});

/** Rebuilds, from the patch's own hunks, a file holding their context at their line numbers. */
function fileTheHunksFit(patch: string): string {
  const lines: string[] = [];
  let cursor: number | null = null;
  for (const line of patch.split('\n')) {
    const header = /^@@ -(\d+),\d+ \+\d+,\d+ @@/.exec(line);
    if (header) {
      cursor = Number(header[1]) - 1;
      continue;
    }
    if (cursor !== null && (line.startsWith(' ') || line.startsWith('-'))) {
      while (lines.length < cursor) lines.push(`// line ${lines.length + 1}`);
      lines[cursor] = line.slice(1);
      cursor += 1;
    }
  }
  return `${lines.join('\n')}\n// end\n`;
}

describe('the onnxruntime Node binding patch', () => {
  const patch = read('jetson/onnxruntime-node-tensorrt-options.patch');

  it('is a well-formed diff of js/node/src/session_options_helper.cc that git applies', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'js/node/src'), { recursive: true });
    writeFileSync(join(dir, 'js/node/src/session_options_helper.cc'), fileTheHunksFit(patch));
    const patchFile = join(dir, 'binding.patch');
    writeFileSync(patchFile, patch);
    execFileSync('git', ['apply', '--check', '--verbose', patchFile], { cwd: dir, stdio: 'pipe' });
    execFileSync('git', ['apply', patchFile], { cwd: dir, stdio: 'pipe' });
    const patched = readFileSync(join(dir, 'js/node/src/session_options_helper.cc'), 'utf8');
    expect(patched).toMatch(/options->device_id = deviceId;\n\s+ApplyTensorRtOptions\(options, tensorrtOptions\);\n\s+sessionOptions\.AppendExecutionProvider_TensorRT_V2/);
    expect(patched).toContain('UpdateTensorRTProviderOptions(options, keys.data(), values.data(), keys.size())');
  });

  it.each(['trt_engine_cache_enable', 'trt_engine_cache_path', 'trt_int8_enable', 'trt_fp16_enable', 'trt_max_workspace_size'])('documents forwarding %s', (option) => {
    expect(patch.slice(0, patch.indexOf('--- a/'))).toContain(option);
  });
});

describe('box scripts', () => {
  it('ensure-deps installs systemd-analyze with the systemd package', () => {
    expect(read('scripts/ensure-deps.sh')).toMatch(/^ {2}need systemd-analyze systemd$/m);
  });

  it('systemd/install.sh --root --tpm lays out the units, the TPM drop-ins and the CLI wrapper', () => {
    const root = tempDir();
    execFileSync(join(ROOT, 'systemd/install.sh'), ['--root', root, '--tpm'], { stdio: 'pipe' });
    for (const unit of ['hema3n-edge.service', 'hema3n-provision.service', 'hema3n-power.service', 'hema3n-edge.service.d/wait-for-tpm.conf', 'hema3n-provision.service.d/wait-for-tpm.conf']) {
      expect(statSync(join(root, 'etc/systemd/system', unit)).mode & 0o777).toBe(0o644);
    }
    expect(statSync(join(root, 'usr/local/bin/hema3n')).mode & 0o777).toBe(0o755);
  });

  it.each([
    ['present', true, 0],
    ['absent', false, 1],
  ])('wait-for-tpm.sh with the TPM node %s exits %i', (_label, present, status) => {
    const dir = tempDir();
    const device = join(dir, 'tpmrm0');
    if (present) writeFileSync(device, '');
    const run = spawnSync(join(ROOT, 'jetson/wait-for-tpm.sh'), [], { env: { PATH: process.env.PATH ?? '', HEMA3N_TPM_DEVICE: device, HEMA3N_TPM_WAIT_SECONDS: '0' }, encoding: 'utf8' });
    expect(run.status).toBe(status);
    if (!present) expect(run.stderr).toContain('is the fTPM enabled?');
  });

  it('the hema3n wrapper runs the CLI with the provisioned env file', () => {
    const dir = tempDir();
    const envFile = join(dir, 'hema3n.env');
    writeFileSync(envFile, `HEMA3N_STATE_DIR=${join(dir, 'state')}\nHEMA3N_LOG_LEVEL=silent\nHEMA3N_HTTP_PORT=9443\n`);
    const out = execFileSync(join(ROOT, 'systemd/hema3n'), ['config', 'check', '--json'], {
      env: { PATH: process.env.PATH ?? '', HEMA3N_ENV_FILE: envFile, HEMA3N_APP_DIR: ROOT, HEMA3N_NODE: process.execPath },
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toMatchObject({ ok: true, config: { stateDir: join(dir, 'state'), http: { port: 9443 } } });
  });

  it.each([
    ['0', 'check', 0],
    ['2', 'check', 1],
    ['0', 'bogus', 64],
  ])('power-profile.sh with nvpmodel in mode %s: `%s` exits %i', (mode, action, status) => {
    const bin = join(tempDir(), 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'nvpmodel'), `#!/bin/sh\nprintf 'NV Power Mode: MODE_%s\\n%s\\n' ${mode} ${mode}\n`);
    writeFileSync(join(bin, 'jetson_clocks'), '#!/bin/sh\nexit 0\n');
    for (const tool of ['nvpmodel', 'jetson_clocks']) chmodSync(join(bin, tool), 0o755);
    const run = spawnSync(join(ROOT, 'jetson/power-profile.sh'), [action], { env: { PATH: `${bin}:${process.env.PATH ?? ''}` }, encoding: 'utf8' });
    expect(run.status).toBe(status);
  });
});
