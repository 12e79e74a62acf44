-- A migration released after a store was created, for the upgrade test of the schema baseline.
CREATE TABLE later_notes (
    note_id INTEGER PRIMARY KEY,
    run_uuid TEXT NOT NULL REFERENCES runs (run_uuid),
    text TEXT NOT NULL
);
