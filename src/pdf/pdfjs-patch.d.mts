// Types for pdfjs-patch.mjs (plain JavaScript so that build.mjs can run it).
export interface PdfjsPatch {
  name: string;
  from: string;
  to: string;
}
export const PATCHES: readonly PdfjsPatch[];
export const API_PATCHES: readonly PdfjsPatch[];
export function patchPdfjsWorker(source: string): string;
export function patchPdfjsApi(source: string): string;
export function installedPdfjsWorker(): string;
export function installedPdfjsApi(): string;
