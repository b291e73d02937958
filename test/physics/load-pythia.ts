// Test-only loader of the shared Pythia HDF5 layout (particles [n,40,3] zero-padded) into a JetSet via h5wasm,
// so physics tests do not depend on the data readers.
import h5wasm from 'h5wasm/node';
import type { JetSet } from '../../src-main/data/jetset.ts';

export async function loadPythiaJets(path: string, limit = Infinity): Promise<JetSet> {
  await h5wasm.ready;
  const f = new h5wasm.File(path, 'r');
  try {
    const ds = f.get('particles') as InstanceType<typeof h5wasm.Dataset>;
    const [nAll, nPart] = ds.shape as number[];
    const n = Math.min(nAll!, limit);
    const raw = ds.slice([[0, n]]) as Float32Array;
    const labelDs = f.get('label') as InstanceType<typeof h5wasm.Dataset>;
    const lab = labelDs.slice([[0, n]]) as Int8Array;
    const offsets = new Uint32Array(n + 1);
    let total = 0;
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < nPart!; k++) if (raw[(j * nPart! + k) * 3]! > 0) total++;
      offsets[j + 1] = total;
    }
    const pt = new Float32Array(total), eta = new Float32Array(total), phi = new Float32Array(total);
    let c = 0;
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < nPart!; k++) {
        const o = (j * nPart! + k) * 3;
        if (raw[o]! > 0) {
          pt[c] = raw[o]!; eta[c] = raw[o + 1]!; phi[c] = raw[o + 2]!; c++;
        }
      }
    }
    return {
      nJets: n, offsets, pt, eta, phi,
      label: Int32Array.from(lab), labelNames: ['qcd', 'top', 'w', 'hh4b'],
      source: { path, format: 'hdf5-array', collection: 'particles', featureMap: { pt: 'particles[...,0]', eta: 'particles[...,1]', phi: 'particles[...,2]' }, notes: [] },
    };
  } finally {
    f.close();
  }
}
