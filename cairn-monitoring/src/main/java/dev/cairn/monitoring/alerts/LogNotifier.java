package dev.cairn.monitoring.alerts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes alert state changes to the log (always on). */
public final class LogNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(LogNotifier.class);

    @Override
    public void notify(Alert alert, String deployment) {
        if (alert.state() == Alert.State.FIRING) {
            LOG.warn(
                    "alert FIRING: monitor {} rule {} on deployment {}: {}",
                    alert.monitor(),
                    alert.rule(),
                    deployment,
                    alert.message());
        } else {
            LOG.info("alert RESOLVED: monitor {} rule {} on deployment {}", alert.monitor(), alert.rule(), deployment);
        }
    }
}
