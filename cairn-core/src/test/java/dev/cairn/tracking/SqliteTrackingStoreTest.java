package dev.cairn.tracking;

import dev.cairn.store.TestDatabases;

class SqliteTrackingStoreTest extends TrackingStoreContract {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }
}
