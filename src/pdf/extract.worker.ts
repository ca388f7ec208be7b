// Worker thread that parses PDFs for `ream extract` (bundled as dist/pdf-extract.worker.js). It takes
// one job at a time from the supervisor (pool.ts) and posts the document's pages as they are done. A
// shared counter of pages the supervisor has written keeps it from running far ahead of a slow reader.
import { parentPort, workerData } from 'node:worker_threads';
import { ExtractFailure, extractDocument, loadPdfjs, savePdfjsCodeCache } from './reader.js';
import type { SupervisorMessage, WorkerMessage } from './protocol.js';

/** Pages posted but not yet written out before this thread waits for the supervisor. */
const WINDOW = 32;
const written = new Int32Array(workerData.written as SharedArrayBuffer);
let posted = 0;
const port = parentPort!;
const post = (m: WorkerMessage): void => port.postMessage(m);

function waitForReader(): void {
  for (let seen = Atomics.load(written, 0); posted - seen > WINDOW; seen = Atomics.load(written, 0)) {
    Atomics.wait(written, 0, seen, 1000);
  }
}

port.on('message', async (msg: SupervisorMessage) => {
  if (msg.type === 'stop') return port.close();
  const { job } = msg;
  try {
    const warning = await extractDocument(job, {
      open: (pages, meta) => post({ type: 'open', id: job.id, pages, meta }),
      page: (result) => {
        post({ type: 'page', id: job.id, result });
        posted++;
        waitForReader();
      },
      info: (record) => post({ type: 'info', id: job.id, record }),
    });
    // before 'done': the supervisor may end this thread as soon as it hears of it
    savePdfjsCodeCache();
    post({ type: 'done', id: job.id, warning });
  } catch (err) {
    if (err instanceof ExtractFailure) post({ type: 'failed', id: job.id, reason: err.reason, message: err.message });
    else post({ type: 'failed', id: job.id, reason: 'damaged', message: `damaged PDF: ${(err as Error)?.message ?? String(err)}` });
  }
});

// Load pdf.js while the supervisor is still reading paths.
loadPdfjs().then(
  () => post({ type: 'ready' }),
  (err) => post({ type: 'failed', id: -1, reason: 'crashed', message: `cannot load pdf.js: ${(err as Error).message}` }),
);
