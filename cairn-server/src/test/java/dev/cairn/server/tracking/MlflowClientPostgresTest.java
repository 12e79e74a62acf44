package dev.cairn.server.tracking;

import dev.cairn.store.TestDatabases;

class MlflowClientPostgresTest extends MlflowClientContract {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
