import { parseScoreInput, scoreVitals } from '../../clinical/index.js';
import { Hema3nError } from '../../errors.js';
import type { Command } from '../command.js';
import { readStdin } from '../output.js';

export const score: Command = {
  path: 'score',
  summary: 'stdin: one JSON object of vital signs; stdout: NEWS2, shock index, qSOFA, GCS, acuity',
  usage: '< vitals.json',
  async run(ctx) {
    const text = await readStdin(ctx.io);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new Hema3nError('INPUT_INVALID', 'stdin is not one JSON object', { cause, issues: [{ field: '(stdin)', problem: 'must be JSON' }] });
    }
    // The score is JSON whichever way it is asked for: it is read by people and scripts alike.
    ctx.io.stdout.write(`${JSON.stringify(scoreVitals(parseScoreInput(value)), null, ctx.json ? undefined : 2)}\n`);
    return 0;
  },
};
