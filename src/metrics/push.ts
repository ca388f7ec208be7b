// `--push URL`: sends the metrics to a Prometheus Pushgateway, the path Prometheus recommends for
// batch jobs. PUT replaces the whole group (job, instance), so a re-run never leaves stale series.
import { CONTENT_TYPE } from './exposition.js';

const PUSH_TIMEOUT_MS = 10_000;

/** `/metrics/job/<job>/instance/<instance>`; values with `/` (or empty) in base64url, as Pushgateway asks. */
export function groupingPath(grouping: readonly (readonly [string, string])[]): string {
  return (
    '/metrics' +
    grouping
      .map(([name, value]) =>
        value === '' ? `/${name}@base64/=` : value.includes('/') ? `/${name}@base64/${Buffer.from(value).toString('base64url')}` : `/${name}/${encodeURIComponent(value)}`,
      )
      .join('')
  );
}

/** Pushes `text`; throws an Error with a one-line reason when the gateway is unreachable or refuses. */
export async function pushMetrics(url: string, grouping: readonly (readonly [string, string])[], text: string): Promise<void> {
  const target = url.replace(/\/+$/, '') + groupingPath(grouping);
  let res: Response;
  try {
    res = await fetch(target, { method: 'PUT', headers: { 'Content-Type': CONTENT_TYPE }, body: text, signal: AbortSignal.timeout(PUSH_TIMEOUT_MS) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`push to ${target} failed: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  if (!res.ok) {
    const body = (await res.text().catch(() => '')).trim().split('\n')[0] ?? '';
    throw new Error(`push to ${target} failed: HTTP ${res.status}${body ? ` ${body.slice(0, 200)}` : ''}`);
  }
}
