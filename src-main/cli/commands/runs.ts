// `ebm-hep runs`: lists the runs in the run store (table or --json), and `runs import <dir>` registers run
// directories made elsewhere (e.g. `ebm-hep train --out` on a cluster node).
import { parseArgs } from 'node:util';
import type { Command } from '../main.ts';
import { defaultDbPath } from '../../store/paths.ts';
import { Store, type RunRecord, type RunStatus } from '../../store/store.ts';
import { findRunDirectories, importRunDirectory } from '../../store/import-run.ts';
import { UserError } from '../../util/errors.ts';

const usage = `usage: ebm-hep runs [--json] [--db FILE] [--status S,...] [--search TEXT] [--tag T]
       ebm-hep runs import <dir> [<dir> ...] [--db FILE] [--name NAME] [--json]

Lists the runs in the run store, newest first. \`runs import\` copies run directories (docs/RUN_DIRECTORY.md)
written elsewhere into the store — a directory holding several run directories imports each of them.

  --db FILE      run store (default $EBM_HEP_HOME/ebm-hep.sqlite or ~/.ebm-hep/ebm-hep.sqlite)
  --json         machine-readable output on stdout
  --status S,..  only runs with these statuses (queued, running, done, failed, interrupted, stopped, created)
  --search TEXT  name/notes/tags/preset containing TEXT
  --tag T        only runs tagged T
  --name NAME    name of the imported run (one directory only)`;

const STATUSES = ['created', 'queued', 'running', 'done', 'failed', 'interrupted', 'stopped'];

function row(r: RunRecord, store: Store): string[] {
  const last = store.lastMetrics(r.id, 'epoch');
  const p = r.progress;
  return [
    r.id,
    r.name,
    r.kind,
    r.preset,
    r.status,
    p ? `${p.epoch}/${p.epochs}` : '',
    last.jsdMass !== undefined ? last.jsdMass.toFixed(4) : '',
    r.backend ?? '',
    r.createdAt.slice(0, 16).replace('T', ' '),
    r.tags.join(','),
  ];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((v, c) => v.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

const command: Command = {
  summary: 'list runs in the run store; `runs import <dir>` registers run directories made elsewhere',
  usage,
  async run({ argv, stdout, stderr }) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { json: { type: 'boolean' }, db: { type: 'string' }, status: { type: 'string' }, search: { type: 'string' }, tag: { type: 'string' }, name: { type: 'string' } },
    });
    const store = new Store(values.db ?? defaultDbPath());
    try {
      if (positionals[0] === 'import') {
        const dirs = positionals.slice(1);
        if (!dirs.length) throw new UserError('BAD_INPUT', 'runs import: no directory given', { hint: 'Usage: ebm-hep runs import <dir> [<dir> ...]' });
        const found = dirs.flatMap((d) => {
          const f = findRunDirectories(d);
          if (!f.length) throw new UserError('NOT_FOUND', `${d}: no run directory (config.json) here or one level below`, { hint: 'Give the directory `ebm-hep train --out` wrote.', where: d });
          return f;
        });
        if (values.name && found.length > 1) throw new UserError('BAD_INPUT', `--name given for ${found.length} run directories`, { hint: 'Import them one at a time to name them.' });
        const imported = found.map((d) => importRunDirectory(store, d, values.name ? { name: values.name } : {}));
        if (values.json) stdout.write(JSON.stringify(imported, null, 2) + '\n');
        else for (const r of imported) stdout.write(`imported ${r.id}  ${r.name}  (${r.status})\n`);
        return 0;
      }
      if (positionals.length) throw new UserError('BAD_INPUT', `runs: unexpected argument '${positionals[0]}'`, { hint: 'Did you mean `ebm-hep runs import <dir>`?' });
      const status = values.status?.split(',').map((s) => s.trim()).filter(Boolean);
      for (const s of status ?? []) if (!STATUSES.includes(s)) throw new UserError('BAD_INPUT', `--status ${s}: unknown status`, { hint: `Use ${STATUSES.join(', ')}.`, where: '--status' });
      const runs = store.listRuns({
        ...(status ? { status: status as RunStatus[] } : {}),
        ...(values.search ? { search: values.search } : {}),
        ...(values.tag ? { tags: [values.tag] } : {}),
      });
      if (values.json) {
        stdout.write(JSON.stringify(runs.map((r) => ({ ...r, lastEpochMetrics: store.lastMetrics(r.id, 'epoch') })), null, 2) + '\n');
        return 0;
      }
      if (!runs.length) {
        stderr.write(`no runs in ${store.dbPath}\n`);
        return 0;
      }
      stdout.write(table([['id', 'name', 'kind', 'preset', 'status', 'epoch', 'jsdMass', 'backend', 'created', 'tags'], ...runs.map((r) => row(r, store))]) + '\n');
      return 0;
    } finally {
      store.close();
    }
  },
};

export default command;
