// SCAFFOLD: replaced by the issue that builds `ream terms`.
import type { CommandModule } from './command.js';
import { UsageError } from '../stream/report.js';

export const command: CommandModule = {
  configure() {},
  async run() {
    throw new UsageError('not built yet');
  },
};
