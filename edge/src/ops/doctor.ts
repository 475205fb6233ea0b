import type { AuditLog } from '../audit/index.js';
import type { FrozenConfig } from '../config/index.js';
import { isHema3nError } from '../errors.js';
import { isInferenceError } from '../inference/index.js';
import type { Logger } from '../observability/index.js';
import type { Store } from '../store/index.js';

export type CheckLevel = 'ok' | 'warn' | 'fail';

/** One line of `hema3n doctor --json`: `ok` is false only for `fail`; a warning still lets the box run. */
export interface DoctorCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly level: CheckLevel;
  readonly detail: string;
  /** What to do about it; empty when there is nothing to do. */
  readonly fix: string;
}

export interface DoctorReport {
  readonly ok: boolean;
  readonly checks: DoctorCheck[];
}

export interface DoctorContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly config: FrozenConfig;
  readonly logger: Logger;
  readonly now: () => number;
  /** Opens the database with the configured key provider (never creating one), closes it after fn. */
  readonly withStore: <T>(fn: (store: Store, audit: AuditLog) => T | Promise<T>) => Promise<T>;
}

export type Finding = Omit<DoctorCheck, 'name' | 'ok'>;

export interface Check {
  readonly name: string;
  run(): Promise<Finding>;
}

export const ok = (detail: string): Finding => ({ level: 'ok', detail, fix: '' });
export const warn = (detail: string, fix: string): Finding => ({ level: 'warn', detail, fix });
export const fail = (detail: string, fix: string): Finding => ({ level: 'fail', detail, fix });

/** A check that throws fails with the error's own code and fix; nothing a check does can stop the others. */
export function failureOf(error: unknown): Finding {
  if (isHema3nError(error) || isInferenceError(error)) {
    const issues = error.issues.map((i) => `${i.field}: ${i.problem}`).join('; ');
    return fail(`${error.code}: ${error.message}${issues ? ` (${issues})` : ''}`, error.fix);
  }
  return fail(`unexpected ${error instanceof Error ? error.name : 'failure'}`, 'Run again with HEMA3N_LOG_LEVEL=debug and report the log.');
}

/** Runs every check in order, telling `onCheck` as each finishes (the human output's progress). */
export async function runChecks(checks: readonly Check[], onCheck: (check: DoctorCheck, index: number, total: number) => void = () => {}): Promise<DoctorReport> {
  const results: DoctorCheck[] = [];
  for (const check of checks) {
    const finding = await check.run().catch(failureOf);
    const result = { name: check.name, ok: finding.level !== 'fail', ...finding };
    results.push(result);
    onCheck(result, results.length, checks.length);
  }
  return { ok: results.every((r) => r.ok), checks: results };
}
