// Numbered schema migrations of the run store. Migration i brings `PRAGMA user_version` from i−1 to i and runs
// inside one transaction with the version bump. Append new migrations; never edit a released one.

export const MIGRATIONS: readonly string[] = [
  // 1: datasets, runs, metrics, checkpoints
  `
  CREATE TABLE datasets (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    source_path   TEXT NOT NULL,
    format        TEXT NOT NULL,
    file_path     TEXT NOT NULL,
    labels        TEXT NOT NULL DEFAULT '[]',
    label_counts  TEXT NOT NULL DEFAULT '{}',
    n_jets        INTEGER NOT NULL CHECK (n_jets >= 0),
    content_hash  TEXT NOT NULL,
    settings      TEXT NOT NULL DEFAULT '{}',
    is_sample     INTEGER NOT NULL DEFAULT 0,
    notes         TEXT NOT NULL DEFAULT '[]',
    imported_at   TEXT NOT NULL
  );
  CREATE TABLE runs (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('ebm', 'ebm-clf')),
    preset        TEXT NOT NULL DEFAULT '',
    config        TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('created', 'queued', 'running', 'done', 'failed', 'interrupted', 'stopped')),
    status_reason TEXT,
    backend       TEXT,
    seed          INTEGER NOT NULL DEFAULT 0,
    app_version   TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    started_at    TEXT,
    finished_at   TEXT,
    tags          TEXT NOT NULL DEFAULT '[]',
    notes         TEXT NOT NULL DEFAULT '',
    run_dir       TEXT NOT NULL,
    data          TEXT NOT NULL DEFAULT '[]',
    progress      TEXT
  );
  CREATE TABLE metrics (
    run_id  TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    per     TEXT NOT NULL CHECK (per IN ('step', 'epoch')),
    x       INTEGER NOT NULL,
    name    TEXT NOT NULL,
    value   REAL,
    PRIMARY KEY (run_id, per, name, x)
  ) WITHOUT ROWID;
  CREATE TABLE checkpoints (
    id          INTEGER PRIMARY KEY,
    run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch       INTEGER NOT NULL,
    step        INTEGER NOT NULL,
    path        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    created_at  TEXT NOT NULL
  );
  CREATE INDEX checkpoints_run ON checkpoints(run_id);
  `,
  // 2: samples, evaluations, scores (large arrays as files, sha256 here)
  `
  CREATE TABLE samples (
    id          TEXT PRIMARY KEY,
    run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    n_jets      INTEGER NOT NULL,
    steps       INTEGER NOT NULL,
    step_size   REAL NOT NULL,
    seed        INTEGER NOT NULL,
    path        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    created_at  TEXT NOT NULL
  );
  CREATE INDEX samples_run ON samples(run_id);
  CREATE TABLE evaluations (
    id           TEXT PRIMARY KEY,
    run_id       TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    background   TEXT NOT NULL,
    signals      TEXT NOT NULL,
    metrics      TEXT NOT NULL DEFAULT '{}',
    created_at   TEXT NOT NULL
  );
  CREATE INDEX evaluations_run ON evaluations(run_id);
  CREATE TABLE scores (
    id             INTEGER PRIMARY KEY,
    evaluation_id  TEXT NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    class_name     TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('background', 'signal', 'noise')),
    kind           TEXT NOT NULL,
    n              INTEGER NOT NULL,
    path           TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    UNIQUE (evaluation_id, class_name, kind)
  );
  `,
  // 3: which engine process owns an active run, so a second engine (CLI next to `serve`) does not mark it interrupted
  `
  ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
  CREATE INDEX runs_status ON runs(status);
  `,
];

export const LATEST_VERSION = MIGRATIONS.length;
