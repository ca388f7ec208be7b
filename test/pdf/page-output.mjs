// What page 1 of a PDF gives through a pdf.js API (`lib`): its text items (`text`) or its operator
// list (`ops`), as plain JSON, or the error it failed with. Used on both sides of the comparisons
// of ream's patched pdf.js with pdf.js as shipped (test/pdf/pdfjs-patch.test.ts, upstream-pdfjs.mjs).
export async function pageOutput(lib, data, options, kind) {
  const doc = await lib.getDocument({ data: new Uint8Array(data), isEvalSupported: false, useSystemFonts: false, disableFontFace: true, verbosity: 0, ...options }).promise;
  try {
    const page = await doc.getPage(1);
    if (kind === 'ops') {
      const { fnArray, argsArray } = await page.getOperatorList();
      // loaded fonts are named after the document's number in this process (g_d3_f1): not compared
      return JSON.parse(JSON.stringify({ fnArray, argsArray }).replace(/"g_d\d+_/g, '"g_d_'));
    }
    const content = await page.getTextContent();
    return content.items.map(({ str, transform, width, height, hasEOL }) => ({ str, transform, width, height, hasEOL }));
  } catch (err) {
    return { error: String(err?.message ?? err) };
  } finally {
    await doc.destroy();
  }
}
