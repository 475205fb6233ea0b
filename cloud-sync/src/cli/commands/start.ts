import type { Command } from '../command.js';

export const start: Command = {
  path: 'start',
  summary: 'run the cloud service in the foreground (until SIGTERM or SIGINT)',
  usage: '',
  async run(ctx) {
    const { runCloud } = await import('../../main.js');
    return runCloud(ctx.io.env, ctx.io.cwd);
  },
};
