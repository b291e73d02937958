// Ambient types for the renderer build (Vite + Vue single-file components).
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

// The Electron preload bridge (electron/preload.ts) exposes the EngineApi here; absent in a plain browser.
interface Window {
  ebm?: import('../src-main/api/types.ts').EngineApi;
}
