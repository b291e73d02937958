// The in-memory jet data model every reader produces and every consumer reads: flat typed arrays + offsets.
// Jet j owns constituents offsets[j] .. offsets[j+1]-1. No arrays of objects on the hot path.

/** Where a JetSet came from and how its columns were mapped; shown to the user and stored with imports. */
export interface JetSource {
  /** Absolute or user-given path of the file read. */
  path: string;
  /** Detected format: 'hdf5-array' | 'hdf5-pandas-fixed' | 'hdf5-pandas-table' | 'root-delphes' | 'root-nanoaod' | 'root-tree' | 'npy' | 'npz' | 'csv'. */
  format: string;
  /** Collection / dataset / tree read inside the file, e.g. 'FatJet' or 'particles'. */
  collection?: string;
  /** Which stored column fed which constituent feature, e.g. { pt: 'particles[...,0]', eta: ..., phi: ... }. */
  featureMap: Record<string, string>;
  /** Anything the reader wants the user to know (truncation, skipped empty jets, ...). */
  notes: string[];
}

export interface JetSet {
  /** Number of jets. */
  nJets: number;
  /** Constituent ranges, length nJets + 1, offsets[0] = 0, non-decreasing. */
  offsets: Uint32Array;
  /** Constituent transverse momentum [GeV], length offsets[nJets]. */
  pt: Float32Array;
  /** Constituent pseudorapidity. */
  eta: Float32Array;
  /** Constituent azimuth [rad], in (-π, π]. */
  phi: Float32Array;
  /** Constituent energy [GeV] when the file stores it; absent means massless constituents. */
  energy?: Float32Array;
  /** Per-jet class index into labelNames, -1 where unknown. */
  label?: Int32Array;
  /** Class names, e.g. ['qcd', 'top', 'w', 'hh4b']. */
  labelNames?: string[];
  /** Per-jet quantities as stored in the file (not recomputed), e.g. FastJet's full-jet mass. */
  stored?: { ptGeV?: Float32Array; etaJet?: Float32Array; phiJet?: Float32Array; massGeV?: Float32Array; nConstituents?: Int32Array };
  source: JetSource;
}

/** Number of constituents of jet j. */
export function multiplicity(jets: JetSet, j: number): number {
  return jets.offsets[j + 1]! - jets.offsets[j]!;
}
