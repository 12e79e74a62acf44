-- Model registry: registered models, their versions, tags and aliases. Versions hang off the
-- model's surrogate id so that a rename is one row; children are deleted by the store explicitly
-- (and by cascade where foreign keys are enforced).

CREATE TABLE registered_models (
    model_id               INTEGER PRIMARY KEY,
    name                   TEXT    NOT NULL UNIQUE,
    description            TEXT    NOT NULL DEFAULT '',
    creation_timestamp     INTEGER NOT NULL,
    last_updated_timestamp INTEGER NOT NULL,
    last_version           INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE registered_model_tags (
    model_id INTEGER NOT NULL REFERENCES registered_models (model_id) ON DELETE CASCADE,
    key      TEXT    NOT NULL,
    value    TEXT    NOT NULL,
    PRIMARY KEY (model_id, key)
) WITHOUT ROWID;

CREATE TABLE model_versions (
    model_id               INTEGER NOT NULL REFERENCES registered_models (model_id) ON DELETE CASCADE,
    version                INTEGER NOT NULL,
    creation_timestamp     INTEGER NOT NULL,
    last_updated_timestamp INTEGER NOT NULL,
    user_id                TEXT    NOT NULL DEFAULT '',
    current_stage          TEXT    NOT NULL DEFAULT 'None',
    description            TEXT    NOT NULL DEFAULT '',
    source                 TEXT    NOT NULL,
    run_id                 TEXT    NOT NULL DEFAULT '',
    run_link               TEXT    NOT NULL DEFAULT '',
    status                 TEXT    NOT NULL DEFAULT 'READY',
    storage_location       TEXT    NOT NULL,
    PRIMARY KEY (model_id, version)
) WITHOUT ROWID;

CREATE INDEX model_versions_run ON model_versions (run_id);

CREATE TABLE model_version_tags (
    model_id INTEGER NOT NULL,
    version  INTEGER NOT NULL,
    key      TEXT    NOT NULL,
    value    TEXT    NOT NULL,
    PRIMARY KEY (model_id, version, key),
    FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE registered_model_aliases (
    model_id INTEGER NOT NULL,
    alias    TEXT    NOT NULL,
    version  INTEGER NOT NULL,
    PRIMARY KEY (model_id, alias),
    FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version) ON DELETE CASCADE
) WITHOUT ROWID;
