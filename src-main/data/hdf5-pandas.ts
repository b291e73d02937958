// HDF5 pandas layouts of the Top Quark Tagging dataset (fixed `block*_values` and PyTables `table`): not yet read.
import type { H5File } from './hdf5.ts';
import type { Hdf5Layout, Hdf5ReadOptions } from './hdf5.ts';
import type { JetSet } from './jetset.ts';
import { UserError } from '../util/errors.ts';

export function readPandas(path: string, _f: H5File, lay: Hdf5Layout, _opts: Hdf5ReadOptions): JetSet {
  throw new UserError('UNSUPPORTED', `${path}: pandas ${lay.layout} frames are not read yet`, { where: path });
}
