package dev.cairn.tracking;

import dev.cairn.store.TestDatabases;

class PostgresTrackingStoreTest extends TrackingStoreContract {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
