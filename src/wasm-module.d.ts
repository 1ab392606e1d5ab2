// A `.wasm` import is a compiled WebAssembly.Module under workerd and
// wrangler (src/workerd.ts).
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
