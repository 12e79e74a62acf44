-- Artifacts: each server-generated root (a run's '<experiment>/<run>/artifacts', ...) is a tree of
-- files whose content lives in the content-addressed blob store. Directories are recorded
-- explicitly so that listing one is a lookup of its direct children, never a scan of the tree.

CREATE TABLE artifact_files (
    root       TEXT    NOT NULL,
    path       TEXT    NOT NULL,
    parent     TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    sha256     TEXT    NOT NULL,
    size       INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (root, path)
);

CREATE INDEX artifact_files_by_parent ON artifact_files (root, parent);
CREATE INDEX artifact_files_by_blob ON artifact_files (sha256);

CREATE TABLE artifact_dirs (
    root   TEXT NOT NULL,
    path   TEXT NOT NULL,
    parent TEXT NOT NULL,
    name   TEXT NOT NULL,
    PRIMARY KEY (root, path)
);

CREATE INDEX artifact_dirs_by_parent ON artifact_dirs (root, parent);
