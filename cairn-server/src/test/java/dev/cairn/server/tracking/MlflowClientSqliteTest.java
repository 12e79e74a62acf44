package dev.cairn.server.tracking;

import dev.cairn.store.TestDatabases;

class MlflowClientSqliteTest extends MlflowClientContract {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }
}
