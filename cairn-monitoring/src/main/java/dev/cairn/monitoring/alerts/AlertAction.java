package dev.cairn.monitoring.alerts;

/** What a monitor does, besides notifying, when one of its alerts fires (for example retrain). */
@FunctionalInterface
public interface AlertAction {
    void onFiring(Alert alert, String deployment);
}
