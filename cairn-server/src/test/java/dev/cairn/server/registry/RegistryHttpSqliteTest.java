package dev.cairn.server.registry;

import dev.cairn.store.TestDatabases;

class RegistryHttpSqliteTest extends RegistryHttpContract {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }
}
