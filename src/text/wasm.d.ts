// `import binary from '…/name.wasm'`: the bytes of wasm/name.ts compiled (scripts/wasm.mjs).
declare module '*.wasm' {
  const binary: Uint8Array<ArrayBuffer>;
  export default binary;
}
