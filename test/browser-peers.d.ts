// The parts of libcurl.js 0.7.4 (a devDependency without type declarations)
// that test/browser/wisp.browser.test.ts uses.
declare module 'libcurl.js/bundled' {
  export const libcurl: {
    load_wasm(url?: string): Promise<void>;
    set_websocket(url: string): void;
    fetch(url: string, options?: object): Promise<Response>;
  };
}
