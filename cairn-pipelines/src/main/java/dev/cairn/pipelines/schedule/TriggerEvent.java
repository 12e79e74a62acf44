package dev.cairn.pipelines.schedule;

import java.time.ZonedDateTime;

/** Something that happened elsewhere in Cairn and may start pipelines that declare it in {@code triggers}. */
public sealed interface TriggerEvent {
    /** The value of the {@code cairn.trigger} tag on the pipeline runs the event starts. */
    String describe();

    /** A new version of a dataset was registered. */
    record DatasetVersion(String dataset, String version) implements TriggerEvent {
        @Override
        public String describe() {
            return "dataset:" + dataset + "@" + version;
        }
    }

    /** A monitor raised an alert (drift, performance). */
    record MonitorAlert(String monitor, String alert) implements TriggerEvent {
        @Override
        public String describe() {
            return "alert:" + monitor + ":" + alert;
        }
    }

    /** A new version of a registered model was created. */
    record ModelVersion(String model, String version) implements TriggerEvent {
        @Override
        public String describe() {
            return "model:" + model + "@" + version;
        }
    }

    /** A cron schedule came due. */
    record Scheduled(String cron, ZonedDateTime time) implements TriggerEvent {
        @Override
        public String describe() {
            return "schedule:" + cron + "@" + time.toInstant();
        }
    }
}
