package dev.cairn.server.tracking;

import dev.cairn.store.TestDatabases;

class TrackingHttpPostgresTest extends TrackingHttpContract {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
