-- Pipelines: executions and their step runs (so that a killed execution can be resumed), and the step cache.

CREATE TABLE pipeline_runs (
    pipeline_run_id  TEXT    NOT NULL PRIMARY KEY,
    pipeline_name    TEXT    NOT NULL,
    tracking_run_id  TEXT    NOT NULL,
    project_dir      TEXT    NOT NULL,
    spec_json        TEXT    NOT NULL,
    params_json      TEXT    NOT NULL,
    options_json     TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    message          TEXT,
    failed_step      TEXT,
    owner            TEXT    NOT NULL,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    start_time       BIGINT NOT NULL,
    end_time         BIGINT
);
CREATE INDEX pipeline_runs_name_start ON pipeline_runs (pipeline_name, start_time DESC);
CREATE INDEX pipeline_runs_start ON pipeline_runs (start_time DESC);

CREATE TABLE pipeline_step_runs (
    pipeline_run_id TEXT    NOT NULL REFERENCES pipeline_runs (pipeline_run_id),
    step_name       TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    tracking_run_id TEXT,
    cache_key       TEXT,
    cache_status    TEXT,
    key_components  TEXT,
    outputs_json    TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    exit_code       INTEGER,
    message         TEXT,
    stdout_sha256   TEXT,
    stderr_sha256   TEXT,
    log_dir         TEXT,
    start_seq       BIGINT,
    end_seq         BIGINT,
    start_time      BIGINT,
    end_time        BIGINT,
    PRIMARY KEY (pipeline_run_id, step_name)
);

CREATE TABLE pipeline_step_cache (
    cache_key              TEXT    NOT NULL PRIMARY KEY,
    pipeline_name          TEXT    NOT NULL,
    step_name              TEXT    NOT NULL,
    key_components         TEXT    NOT NULL,
    outputs_json           TEXT    NOT NULL,
    source_pipeline_run_id TEXT    NOT NULL,
    source_tracking_run_id TEXT,
    creation_time          BIGINT NOT NULL
);
CREATE INDEX pipeline_step_cache_step ON pipeline_step_cache (pipeline_name, step_name, creation_time DESC);
