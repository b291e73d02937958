// `ebm-hep import <file>`: reads and validates a jet file and stores it content-addressed in the local data
// directory (`<data-dir>/datasets/<sha256>.jets` + manifest); importing the same content again is a no-op.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../main.ts';
import { progressBar } from '../progress.ts';
import { DATA_OPTIONS, DATA_USAGE, readOptionsFrom } from '../data-args.ts';
import { importDataset, defaultDataDir } from '../../data/import.ts';
import { UserError } from '../../util/errors.ts';

const usage = `usage: ebm-hep import <file> [--label qcd] [--name NAME] [--data-dir DIR] [--db FILE] [--json] [options]

Reads and validates a jet file (HDF5, ROOT, .npy/.npz, CSV) and stores it for training in the local data directory
as DIR/datasets/<sha256>.jets with a JSON manifest next to it. The same content imported twice is stored once.

  --label NAME         class name for every jet (overrides labels stored in the file)
  --name NAME          dataset name (default: the file name)
  --data-dir DIR       data directory (default $EBM_HEP_HOME or ~/.ebm-hep; now ${defaultDataDir()})
  --db FILE            run store the dataset is registered in (default DIR/ebm-hep.sqlite of the data directory)
  --json               print the import record as JSON on stdout
${DATA_USAGE}`;

const command: Command = {
  summary: 'validate a jet file and store it in the local data directory for training (no duplicates)',
  usage,
  async run({ argv, stdout, stderr }) {
    const { values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { ...DATA_OPTIONS, label: { type: 'string' }, name: { type: 'string' }, 'data-dir': { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean' } },
    });
    if (positionals.length !== 1) throw new UserError('BAD_INPUT', positionals.length ? `expected one file, got ${positionals.length}` : 'no file given', { hint: usage.split('\n')[0] });
    const bar = progressBar('importing', stderr);
    const rec = await importDataset(positionals[0]!, {
      ...readOptionsFrom(values),
      ...(values.label ? { label: values.label } : {}),
      ...(values.name ? { name: values.name } : {}),
      ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
      onProgress: (d, t, phase) => bar.update(d, t, phase),
    });
    bar.done();
    const { registerDataset } = await import('../../store/register-dataset.ts');
    const { defaultDbPath } = await import('../../store/paths.ts');
    const dataDir = values['data-dir'];
    const reg = registerDataset(values.db ?? (dataDir ? join(dataDir, 'ebm-hep.sqlite') : defaultDbPath()), rec);
    stderr.write(`${reg.created ? 'registered' : 'already registered'} as dataset ${reg.id} in ${reg.dbPath}\n`);
    if (values.json) {
      stdout.write(JSON.stringify(rec) + '\n');
      return 0;
    }
    const counts = Object.entries(rec.labelCounts).map(([k, v]) => `${k} ${v}`).join(', ');
    stdout.write(
      rec.duplicate
        ? `already imported: ${rec.name} (${rec.nJets} jets, sha256 ${rec.contentHash.slice(0, 12)}…) — nothing written\n  ${rec.filePath}\n`
        : `imported ${rec.name}: ${rec.nJets} jets, ${rec.nConstituents} constituents (${counts}) from ${rec.format}\n  ${rec.filePath}\n`,
    );
    for (const [k, v] of Object.entries(rec.featureMap)) stdout.write(`  ${k} ← ${v}\n`);
    for (const n of rec.notes) stdout.write(`note: ${n}\n`);
    return 0;
  },
};

export default command;
