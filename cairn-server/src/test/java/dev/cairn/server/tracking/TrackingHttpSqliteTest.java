package dev.cairn.server.tracking;

import dev.cairn.store.TestDatabases;

class TrackingHttpSqliteTest extends TrackingHttpContract {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }
}
