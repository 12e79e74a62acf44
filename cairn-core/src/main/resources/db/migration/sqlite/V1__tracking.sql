-- Tracking: experiments, runs, parameters, tags, metric history with latest values, dataset inputs.
-- Tables read by (run, key) are WITHOUT ROWID: one B-tree probe per lookup instead of index plus table.

CREATE TABLE experiments (
    experiment_id     INTEGER PRIMARY KEY,
    name              TEXT    NOT NULL UNIQUE,
    artifact_location TEXT    NOT NULL,
    lifecycle_stage   TEXT    NOT NULL DEFAULT 'active' CHECK (lifecycle_stage IN ('active', 'deleted')),
    creation_time     INTEGER NOT NULL,
    last_update_time  INTEGER NOT NULL
);

INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active',
        CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000);

CREATE TABLE experiment_tags (
    experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id),
    key           TEXT    NOT NULL,
    value         TEXT    NOT NULL,
    PRIMARY KEY (experiment_id, key)
) WITHOUT ROWID;

CREATE TABLE runs (
    run_uuid        TEXT    NOT NULL PRIMARY KEY,
    experiment_id   INTEGER NOT NULL REFERENCES experiments (experiment_id),
    name            TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    start_time      INTEGER NOT NULL,
    end_time        INTEGER,
    artifact_uri    TEXT    NOT NULL,
    lifecycle_stage TEXT    NOT NULL DEFAULT 'active' CHECK (lifecycle_stage IN ('active', 'deleted')),
    deleted_time    INTEGER
);

-- The default order of run search: newest first within an experiment and stage, so that a search
-- walks runs in order and stops after one page, touching the table only for matching runs.
CREATE INDEX runs_experiment_start ON runs (experiment_id, lifecycle_stage, start_time DESC, run_uuid);

CREATE TABLE params (
    run_uuid TEXT NOT NULL REFERENCES runs (run_uuid),
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (run_uuid, key)
) WITHOUT ROWID;
CREATE INDEX params_key_value ON params (key, value);

CREATE TABLE tags (
    run_uuid TEXT NOT NULL REFERENCES runs (run_uuid),
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (run_uuid, key)
) WITHOUT ROWID;
CREATE INDEX tags_key_value ON tags (key, value);

-- Append-only history; the whole point is the key, so re-sending a point changes nothing.
-- No foreign key on this hot table: every write checks its run once per batch in the same
-- transaction, and runs are only ever soft-deleted.
-- NaN is stored as value 0 with is_nan = 1 because SQLite turns NaN into NULL.
CREATE TABLE metrics (
    run_uuid TEXT    NOT NULL,
    key      TEXT    NOT NULL,
    step     INTEGER NOT NULL,
    ts       INTEGER NOT NULL,
    value    REAL    NOT NULL,
    is_nan   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_uuid, key, step, ts, value, is_nan)
) WITHOUT ROWID;

-- The point with the greatest (step, ts, value) of each metric, kept in the same transaction.
CREATE TABLE latest_metrics (
    run_uuid TEXT    NOT NULL REFERENCES runs (run_uuid),
    key      TEXT    NOT NULL,
    step     INTEGER NOT NULL,
    ts       INTEGER NOT NULL,
    value    REAL    NOT NULL,
    is_nan   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_uuid, key)
) WITHOUT ROWID;
CREATE INDEX latest_metrics_key_value ON latest_metrics (key, value);

CREATE TABLE input_datasets (
    dataset_uuid  TEXT    NOT NULL PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id),
    name          TEXT    NOT NULL,
    digest        TEXT    NOT NULL,
    source_type   TEXT    NOT NULL,
    source        TEXT    NOT NULL,
    schema_json   TEXT    NOT NULL,
    profile_json  TEXT    NOT NULL,
    UNIQUE (experiment_id, name, digest)
);

CREATE TABLE run_inputs (
    run_uuid     TEXT NOT NULL REFERENCES runs (run_uuid),
    dataset_uuid TEXT NOT NULL REFERENCES input_datasets (dataset_uuid),
    PRIMARY KEY (run_uuid, dataset_uuid)
);
CREATE INDEX run_inputs_dataset ON run_inputs (dataset_uuid);

CREATE TABLE run_input_tags (
    run_uuid     TEXT NOT NULL,
    dataset_uuid TEXT NOT NULL,
    key          TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (run_uuid, dataset_uuid, key),
    FOREIGN KEY (run_uuid, dataset_uuid) REFERENCES run_inputs (run_uuid, dataset_uuid)
);
