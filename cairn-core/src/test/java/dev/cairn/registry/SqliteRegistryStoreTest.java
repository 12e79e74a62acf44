package dev.cairn.registry;

import dev.cairn.store.TestDatabases;

class SqliteRegistryStoreTest extends RegistryStoreContract {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }
}
