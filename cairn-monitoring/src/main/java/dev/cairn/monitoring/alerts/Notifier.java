package dev.cairn.monitoring.alerts;

/** Where alert state changes are told: called once when an alert fires and once when it resolves. */
@FunctionalInterface
public interface Notifier {
    /** Must return quickly: slow deliveries belong on a thread of their own. */
    void notify(Alert alert, String deployment);
}
