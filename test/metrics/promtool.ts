// `promtool check metrics` (the real one, from the Debian package prometheus): lint findings or ''.
import { spawnSync } from 'node:child_process';

export function promtoolFindings(text: string): { status: number | null; findings: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, findings: (r.stdout + r.stderr).trim() };
}
