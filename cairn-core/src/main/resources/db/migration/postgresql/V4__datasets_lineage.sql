-- Dataset versions: a version row points at its manifest blob (the version id is that blob's
-- SHA-256) and at a blob holding the tabular summaries. Rows appear in one transaction after all
-- blobs are stored, so an interrupted add never leaves a visible partial version.
CREATE TABLE datasets (
    name        TEXT    NOT NULL PRIMARY KEY,
    created_at  BIGINT  NOT NULL,
    next_number INTEGER NOT NULL
);

CREATE TABLE dataset_versions (
    dataset_name  TEXT    NOT NULL REFERENCES datasets (name) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    version_id    TEXT    NOT NULL,
    summary_sha   TEXT    NOT NULL,
    message       TEXT    NOT NULL,
    source_path   TEXT    NOT NULL,
    file_count    BIGINT  NOT NULL,
    total_bytes   BIGINT  NOT NULL,
    created_at    BIGINT  NOT NULL,
    PRIMARY KEY (dataset_name, number),
    UNIQUE (dataset_name, version_id)
);

CREATE INDEX dataset_versions_id ON dataset_versions (version_id);

CREATE TABLE dataset_aliases (
    dataset_name TEXT    NOT NULL,
    alias        TEXT    NOT NULL,
    number       INTEGER NOT NULL,
    PRIMARY KEY (dataset_name, alias),
    FOREIGN KEY (dataset_name, number) REFERENCES dataset_versions (dataset_name, number) ON DELETE CASCADE
);

-- Lineage: directed edges from upstream to downstream, idempotent on (source, target, type).
CREATE TABLE lineage_edges (
    source_uri TEXT   NOT NULL,
    target_uri TEXT   NOT NULL,
    edge_type  TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    attributes TEXT   NOT NULL,
    PRIMARY KEY (source_uri, target_uri, edge_type)
);

CREATE INDEX lineage_edges_target ON lineage_edges (target_uri, source_uri);
