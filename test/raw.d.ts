// Vite's `?raw` suffix imports a file as a string, in Node and in the browser.
declare module '*?raw' {
  const text: string;
  export default text;
}
