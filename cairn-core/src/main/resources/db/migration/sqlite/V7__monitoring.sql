-- Monitoring: monitors over deployments, their window results as a time series, alerts with their
-- firing/resolved states, and ground-truth labels joined to the inference log by request id.
-- Times are epoch milliseconds; specs, per-column drift and metrics are JSON text.
CREATE TABLE monitors (
    name        TEXT    NOT NULL PRIMARY KEY,
    deployment  TEXT    NOT NULL,
    spec        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE monitor_results (
    monitor        TEXT    NOT NULL,
    window_start   BIGINT  NOT NULL,
    window_end     BIGINT  NOT NULL,
    status         TEXT    NOT NULL,
    row_count      BIGINT  NOT NULL,
    labeled_count  BIGINT  NOT NULL,
    drift_share    DOUBLE PRECISION,
    dataset_drift  INTEGER NOT NULL,
    columns_json   TEXT    NOT NULL,
    metrics_json   TEXT    NOT NULL,
    computed_at    BIGINT  NOT NULL,
    PRIMARY KEY (monitor, window_start, window_end)
);

CREATE TABLE monitor_alerts (
    id           TEXT    NOT NULL PRIMARY KEY,
    monitor      TEXT    NOT NULL,
    rule         TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    value        DOUBLE PRECISION NOT NULL,
    message      TEXT    NOT NULL,
    fired_at     BIGINT  NOT NULL,
    resolved_at  BIGINT
);

CREATE INDEX monitor_alerts_open ON monitor_alerts (monitor, rule, state);

CREATE TABLE monitor_feedback (
    request_id   TEXT    NOT NULL PRIMARY KEY,
    deployment   TEXT    NOT NULL,
    logged_at    BIGINT  NOT NULL,
    label        TEXT    NOT NULL,
    received_at  BIGINT  NOT NULL
);

CREATE INDEX monitor_feedback_deployment_time ON monitor_feedback (deployment, logged_at);
