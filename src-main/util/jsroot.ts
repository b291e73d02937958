// jsroot (ROOT I/O) imported past tsx's load hook, like util/h5wasm.ts: tsx's per-file transform of jsroot's ESM
// modules costs ~2 s at every CLI start; with the `tsx-namespace` query they load untouched (~0.5-0.8 s).
// jsroot ships no types; the few entry points used by the ROOT reader are typed loosely here.

export interface JsrootModule {
  openFile(path: string): Promise<unknown>;
  treeProcess(tree: unknown, selector: unknown, args?: unknown): Promise<unknown>;
  TSelector: new () => {
    addBranch(branch: string, name?: string): number;
    Process: (entry: number) => void;
    Abort(): void;
    tgtobj: Record<string, unknown>;
  };
}

const url = `${import.meta.resolve('jsroot')}?tsx-namespace=ebm-hep-raw`;
export const jsroot = (await import(url)) as JsrootModule;
