import { runDaemon } from '../../main.js';
import type { Command } from '../command.js';

export const start: Command = {
  path: 'start',
  summary: 'run the daemon in the foreground',
  usage: '',
  async run(ctx) {
    return runDaemon(ctx.io.env, ctx.io.cwd);
  },
};
