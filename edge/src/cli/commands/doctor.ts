import { Hema3nError } from '../../errors.js';
import { createLogger } from '../../observability/index.js';
import { runDoctor, type DoctorCheck } from '../../ops/index.js';
import type { Command } from '../command.js';
import { print } from '../output.js';

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

/** One line per check as it finishes (the checks that open sessions take a moment), the fix under anything not ok. */
function line(check: DoctorCheck, index: number, total: number): string {
  const counter = `[${String(index).padStart(String(total).length)}/${total}]`;
  const fix = check.level === 'ok' ? '' : `\n${' '.repeat(counter.length + 1)}fix: ${check.fix}`;
  return `${counter} ${check.name.padEnd(20)} ${MARK[check.level]}  ${check.detail}${fix}\n`;
}

export const doctor: Command = {
  path: 'doctor',
  summary: 'check the box: runtime, execution providers, model and adapters, database, disk, clock, ports, cloud, certificate',
  usage: '',
  async run(ctx) {
    const config = ctx.config();
    const report = await runDoctor(
      {
        env: ctx.io.env,
        cwd: ctx.io.cwd,
        config,
        // Every finding is reported by its check; library warnings would only repeat them on stderr.
        logger: createLogger({ level: 'silent' }),
        now: ctx.now,
        withStore: (fn) => ctx.withStore(fn),
      },
      ctx.json ? undefined : (check, index, total) => ctx.io.stdout.write(line(check, index, total)),
    );
    const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
    const warned = report.checks.filter((c) => c.level === 'warn').length;
    print(ctx.io, ctx.json, report, () => (report.ok ? `all ${report.checks.length} checks passed${warned > 0 ? ` (${warned} warning${warned > 1 ? 's' : ''})` : ''}` : `${failed.length} failed: ${failed.join(', ')}`));
    if (!report.ok) throw new Hema3nError('DOCTOR_FAILED', `Failed checks: ${failed.join(', ')}`);
    return 0;
  },
};
