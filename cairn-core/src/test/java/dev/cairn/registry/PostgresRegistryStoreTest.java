package dev.cairn.registry;

import dev.cairn.store.TestDatabases;

class PostgresRegistryStoreTest extends RegistryStoreContract {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
