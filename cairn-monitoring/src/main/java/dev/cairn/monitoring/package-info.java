/**
 * Monitors over deployments: drift and performance per window of the inference log, ground-truth
 * feedback, alert rules, notifications and retraining.
 *
 * <h2>Monitor</h2>
 * A {@link dev.cairn.monitoring.MonitorSpec} (JSON as in {@code POST /api/v1/monitors}) names the
 * deployment, the reference table (a dataset version {@code cairn-dataset:/NAME/VERSION[/FILE]}, read
 * from a verified, cached checkout and recorded in lineage as consumed by {@code monitors:/<name>}, or
 * a file; its profile is built once with {@code TableDrift.profile} and kept per monitor; see the
 * module README), the features, optional per-column tests ({@code "tests": {"delay": "psi"}}), the
 * drift share, {@code window_seconds} and {@code schedule_seconds} (0: only on demand). A run streams
 * the deployment's log rows of {@code [end - window, end)} into a drift {@code Window} and compares it
 * with {@code DriftAnalysis}; a window without predictions is stored with status {@code NO_DATA}.
 * Failed requests are not predictions and are skipped.
 *
 * <h2>Feedback and performance</h2>
 * {@code POST /api/v1/feedback} stores labels by request id (the first label of a request id wins;
 * later ones count as duplicates; ids the inference log does not know are returned in
 * {@code unknown_request_ids}). Each window joins them and computes the evaluation module's metrics
 * overall and per value of {@code slice_by}. {@code task} is {@code binary_classification} (labels
 * 0/1 or false/true, the first output element a score, positive at or above {@code threshold}) or
 * {@code regression}.
 *
 * <h2>Business metrics</h2>
 * {@code "business_metrics": {"cost": "50*fn + 10*fp"}}: arithmetic over the window's confusion
 * counts {@code tp fp tn fn} and {@code n}, with {@code + - * /}, unary minus and parentheses; a
 * division by zero gives no value for the window (never an alert).
 *
 * <h2>Alert rules</h2>
 * {@code drift_share_above} (threshold in [0, 1]), {@code metric_below} and
 * {@code business_metric_above}, each over {@code windows} consecutive windows (default 1). An alert
 * fires once, is stored with state FIRING, and is RESOLVED by the first window that no longer
 * breaches it; windows without data change nothing. Each transition is logged and sent to the
 * monitor's webhooks; a firing alert of a monitor with {@code "retrain": true} runs the alert actions
 * ({@link dev.cairn.monitoring.alerts.StartPipeline}: the pipelines whose {@code triggers.alerts} name
 * the monitor, with a {@code triggered_by} lineage edge from {@code monitors:/<name>} to each run).
 *
 * <h2>Webhooks</h2>
 * The JSON body ({@code alert_id, monitor, rule, state, deployment, value, message, fired_at,
 * resolved_at}) is signed: {@code X-Cairn-Signature: sha256=<hex>} is HMAC-SHA256 of the raw body
 * bytes with the configured secret. To verify, compute the same HMAC over the body exactly as
 * received, hex-encode it in lower case and compare with the part after {@code sha256=} in constant
 * time (for example {@code MessageDigest.isEqual} or Python's {@code hmac.compare_digest}). Only
 * allowlisted hosts are sent to, and a host resolving to a loopback, private, link-local, multicast
 * or carrier-grade NAT address is refused unless that address is allowed explicitly; redirects are
 * not followed; at most 3 attempts with a short back-off, on a thread of their own. The server reads
 * {@code CAIRN_WEBHOOK_SECRET}, {@code CAIRN_WEBHOOK_ALLOWED_HOSTS} and
 * {@code CAIRN_WEBHOOK_ALLOWED_PRIVATE_ADDRESSES}. The address check and the connection resolve the
 * name separately, so a name whose DNS answer changes in between could still reach another address:
 * allowlist hosts whose DNS you trust.
 */
package dev.cairn.monitoring;
