// The one h5wasm instance of the engine, imported past tsx's load hook: tsx rewrites every ESM .js it loads
// (dynamic-import transform with source maps), which for h5wasm's 4 MB single-line wasm bundle costs ~5-10 s and
// ~600 MB of RSS per process. The `tsx-namespace` query makes tsx pass the file through untouched; under plain Node
// or vitest the query is harmless. Import h5wasm from here, not from 'h5wasm/node', so all code shares one instance
// (already `ready`, with HDF5 errors thrown as exceptions).
import type H5 from 'h5wasm/node';

type H5wasm = typeof H5;

const url = `${import.meta.resolve('h5wasm/node')}?tsx-namespace=ebm-hep-raw`;
export const h5wasm: H5wasm = ((await import(url)) as { default: H5wasm }).default;
// HDF5 failures throw (with the library's message) instead of dumping HDF5-DIAG stacks on stderr.
(await h5wasm.ready).activate_throwing_error_handler();
export default h5wasm;
