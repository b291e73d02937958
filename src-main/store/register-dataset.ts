// CLI helper: records a dataset imported by data/import.ts (`ebm-hep import`) in the run store, once per content
// file, so the app lists it. The dataset file stays where the import wrote it.
import { Store, newId, type DatasetRecord } from './store.ts';

/** What an import hands to the store: a dataset record before it has an id (CLI imports are never the sample). */
export type ImportedForStore = Omit<DatasetRecord, 'id' | 'isSample'>;

/** Returns the dataset id (existing when this content file is already registered) and whether it was new. */
export function registerDataset(dbPath: string, d: ImportedForStore): { id: string; created: boolean; dbPath: string } {
  const store = new Store(dbPath);
  try {
    const same = store.listDatasets().find((x) => x.contentHash === d.contentHash && x.filePath === d.filePath);
    if (same) return { id: same.id, created: false, dbPath: store.dbPath };
    const id = newId('ds');
    store.addDataset({ id, isSample: false, ...d });
    return { id, created: true, dbPath: store.dbPath };
  } finally {
    store.close();
  }
}
