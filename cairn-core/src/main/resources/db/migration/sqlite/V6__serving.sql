-- The inference log: one row per logged prediction, written in batches off the request path.
-- Times are epoch milliseconds; inputs and outputs are Open Inference Protocol tensors as JSON.
CREATE TABLE inference_log (
    request_id    TEXT    NOT NULL,
    deployment    TEXT    NOT NULL,
    model_name    TEXT    NOT NULL,
    model_version TEXT    NOT NULL,
    logged_at     BIGINT  NOT NULL,
    latency_us    BIGINT  NOT NULL,
    status        TEXT    NOT NULL,
    inputs        TEXT    NOT NULL,
    outputs       TEXT    NOT NULL
);

CREATE INDEX inference_log_request ON inference_log (request_id);
CREATE INDEX inference_log_model_time ON inference_log (model_name, logged_at);
CREATE INDEX inference_log_deployment_time ON inference_log (deployment, logged_at);
