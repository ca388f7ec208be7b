// Messages between the extract supervisor (pool.ts) and its worker threads (extract.worker.ts).

export interface ExtractJob {
  id: number;
  /** The document's name in records and messages: its path as given. */
  path: string;
  /** Where its bytes are read from, when not `path` (a PDF saved from stdin). */
  file?: string;
  /** Emit one info record for the document instead of its pages. */
  info: boolean;
  /** Include AcroForm field values and annotation text in page text. */
  annotations: boolean;
  /** Add title/author/… to each page record. */
  meta: boolean;
  password?: string;
  /** Stop after this page (pdftotext -l). */
  lastPage?: number;
}

/** Why a document failed: the `reason` label of failures_total and of error records. */
export type FailureReason = 'not_pdf' | 'damaged' | 'encrypted' | 'timeout' | 'out_of_memory' | 'unreadable' | 'crashed';

/** The one-line reason for a document stopped at its time limit (both engines). */
export function timeoutMessage(limitMs: number, pages?: number): string {
  const seconds = (limitMs / 1000).toFixed(limitMs < 10_000 ? 1 : 0);
  return `timed out after ${seconds} s${pages ? ` (${pages} page${pages === 1 ? '' : 's'})` : ''}; --timeout`;
}

export interface DocumentMeta {
  title?: string;
  author?: string;
  subject?: string;
  keywords?: string;
  creator?: string;
  producer?: string;
  created?: string;
  modified?: string;
}

export interface PageResult {
  page: number;
  text: string;
  chars: number;
  /** Set when the page has text runs (fonts) but little usable text came out of them. */
  suspect?: string;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'open'; id: number; pages: number; meta?: DocumentMeta }
  | { type: 'page'; id: number; result: PageResult }
  | { type: 'info'; id: number; record: Record<string, unknown> }
  | { type: 'done'; id: number; warning?: string }
  | { type: 'failed'; id: number; reason: FailureReason; message: string };

export type SupervisorMessage = { type: 'job'; job: ExtractJob } | { type: 'stop' };
