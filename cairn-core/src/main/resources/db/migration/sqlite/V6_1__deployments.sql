-- Deployments: an endpoint's routing across model versions, and the append-only history of every change.
-- The routing (splits, shadows, stable version, canary policy) is one JSON document; times are epoch milliseconds.
CREATE TABLE deployments (
    name        TEXT    NOT NULL PRIMARY KEY,
    spec        TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    created_by  TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL,
    updated_by  TEXT    NOT NULL
);

CREATE TABLE deployment_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    deployment  TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    at          BIGINT  NOT NULL,
    reason      TEXT    NOT NULL,
    spec        TEXT    NOT NULL
);

CREATE INDEX deployment_history_deployment ON deployment_history (deployment, id);
CREATE INDEX inference_log_deployment_version_time ON inference_log (deployment, model_version, logged_at);
