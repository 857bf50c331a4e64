/*
 * store_schema.c: the store's schema as a list of migrations. Migration N takes a database from
 * user_version N-1 to N. A released migration is never edited; changes come as a new one. The
 * status CHECK of migration 1 is built from the status list (vocab.h) and must stay, byte for
 * byte, the text it was released with: a new status needs a new migration (tests/test_vocab.c).
 */
#include "store_schema.h"

#include "vocab.h"

static const char *const migrations[] = {
    /* 1: cases, sealed records, encrypted attachments. The status CHECK is built from vocab.h
     * (its text is the released one, byte for byte: tests/test_vocab.c); the DEFAULT 'new' is
     * vocab.h's first status, frozen with this migration (the store binds it anyway). */
    "CREATE TABLE cases ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  ref TEXT NOT NULL UNIQUE,"
    "  received TEXT NOT NULL CHECK (received GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
    "  status TEXT NOT NULL DEFAULT 'new'"
    "    CHECK (status IN (" VOCAB_STATUSES(VOCAB_SQL, VOCAB_SQL_SEP) ")),"
    "  lookup BLOB NOT NULL UNIQUE CHECK (length(lookup) = 32),"
    "  reporter_pk BLOB NOT NULL CHECK (length(reporter_pk) = 32)"
    ");"
    "CREATE TABLE records ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  audience INTEGER NOT NULL CHECK (audience IN (1, 2, 3)),"
    "  day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
    "  envelope BLOB NOT NULL"
    ");"
    "CREATE INDEX records_by_case ON records(case_id, audience, id);"
    "CREATE TABLE attachments ("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  meta_record INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,"
    "  header BLOB NOT NULL CHECK (length(header) = 24),"
    "  stored_size INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX attachments_by_case ON attachments(case_id);"
    "CREATE INDEX attachments_by_meta ON attachments(meta_record);"
    "CREATE TABLE attachment_chunks ("
    "  attachment_id INTEGER NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL,"
    "  data BLOB NOT NULL,"
    "  PRIMARY KEY (attachment_id, seq)"
    ") WITHOUT ROWID;",
    /* 2: settings shared by every process on the database (e.g. the csrf MAC key) */
    "CREATE TABLE settings ("
    "  name TEXT PRIMARY KEY,"
    "  value BLOB NOT NULL"
    ") WITHOUT ROWID;",
    /* 3: the audit log (append only: the triggers stop accidents; the hash chain and the
     * signatures catch the rest), and which cases' arrival it records already */
    "CREATE TABLE audit_log ("
    "  seq INTEGER PRIMARY KEY CHECK (seq >= 1),"
    "  entry BLOB NOT NULL"
    ");"
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "ALTER TABLE cases ADD COLUMN arrival_logged INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX cases_not_yet_logged ON cases(id) WHERE arrival_logged = 0;"
    "CREATE TABLE audit_keys ("
    "  key_id BLOB PRIMARY KEY,"
    "  seq INTEGER NOT NULL"
    ") WITHOUT ROWID;",
    /* 4: what purged cases leave behind for the annual statistics: one sealed record each */
    "CREATE TABLE retained_figures ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  envelope BLOB NOT NULL"
    ");"
    /* each caseworker's list index: what list shows of each case, sealed with a key derived
     * from that caseworker's secret key, so list decrypts only records it has not seen */
    "CREATE TABLE caseworker_index ("
    "  key_id BLOB PRIMARY KEY,"
    "  blob BLOB NOT NULL"
    ") WITHOUT ROWID;",
    /* 5: the list indexes leave the shared database for each caseworker's own machine (one blob
     * per key id told who could read what, and its length what the cases said); secure_delete
     * zeroes the pages they held */
    "DROP TABLE caseworker_index;",
    /* 6: record ids stop ordering arrivals across cases (a report's id sat between two casework
     * records timed by the audit log): every id becomes random, records are ordered within
     * their case by seq, and new records get a random id from the store. The trigger keeps an
     * intake of schema 5 that is still running correct (its records get the next seq); the old
     * counter in sqlite_sequence goes. */
    "PRAGMA defer_foreign_keys = ON;"
    "ALTER TABLE records ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;"
    "CREATE TEMP TABLE record_ids (old INTEGER PRIMARY KEY, new INTEGER NOT NULL UNIQUE, seq INTEGER NOT NULL);"
    "INSERT INTO record_ids SELECT id, (random() & 4611686018427387903) + 1,"
    "  row_number() OVER (PARTITION BY case_id ORDER BY id) FROM records;"
    "UPDATE records SET seq = (SELECT seq FROM record_ids WHERE old = records.id),"
    "  id = (SELECT new FROM record_ids WHERE old = records.id);"
    "UPDATE attachments SET meta_record = (SELECT new FROM record_ids WHERE old = attachments.meta_record);"
    "DROP TABLE record_ids;"
    "DROP INDEX records_by_case;"
    "CREATE UNIQUE INDEX records_by_case ON records(case_id, seq);"
    "CREATE TRIGGER records_seq_given AFTER INSERT ON records WHEN NEW.seq = 0"
    "  BEGIN UPDATE records SET seq = (SELECT max(seq) FROM records WHERE case_id = NEW.case_id) + 1"
    "  WHERE id = NEW.id; END;"
    "DELETE FROM sqlite_sequence WHERE name = 'records';",
    /* 7: audit entries of version 2 seal what they say to the auditors; the version-1 entries,
     * readable by anyone, are sealed by the first casework append (audit.h), which may delete
     * them and nothing else */
    "DROP TRIGGER audit_log_no_delete;"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
    "  WHEN substr(OLD.entry, 1, 1) <> x'01'"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    /* 8: a caseworker's replica (casework sync): what it knows of its server, and what it did
     * that the server has not taken yet (filled by the triggers of store_schema_replica; empty
     * on a server) */
    "CREATE TABLE sync_state ("
    "  name TEXT PRIMARY KEY,"
    "  value NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE TABLE sync_outbox ("
    "  id INTEGER PRIMARY KEY,"
    "  audit_seq INTEGER NOT NULL,"
    "  kind INTEGER NOT NULL,"
    "  case_ref TEXT NOT NULL,"
    "  item INTEGER NOT NULL DEFAULT 0"
    ");",
    /* 9: a status change on a replica remembers the status it changed, so that the server
     * applies it only to a case still in that status (another caseworker may have closed it) */
    "ALTER TABLE sync_outbox ADD COLUMN was TEXT;"
    "DROP TRIGGER IF EXISTS sync_status_set;"
    "CREATE TRIGGER sync_status_set AFTER UPDATE OF status ON cases"
    "  WHEN EXISTS (SELECT 1 FROM sync_state WHERE name = 'of')"
    "  AND NOT EXISTS (SELECT 1 FROM sync_state WHERE name = 'applying') AND OLD.status <> NEW.status"
    "  BEGIN INSERT INTO sync_outbox(audit_seq, kind, case_ref, item, was) VALUES"
    "  ((SELECT coalesce(max(seq), 0) FROM audit_log), 4, NEW.ref, 0, OLD.status); END;",
    /* 10: the lookups of erased (purged) cases, so that their receipts are told the case was
     * closed and erased rather than that they are wrong; nothing else of the case, and no order
     * (no rowid) */
    "CREATE TABLE erased_lookups ("
    "  lookup BLOB PRIMARY KEY CHECK (length(lookup) = 32)"
    ") WITHOUT ROWID;"
    "CREATE TRIGGER cases_erased AFTER DELETE ON cases"
    "  BEGIN INSERT OR IGNORE INTO erased_lookups(lookup) VALUES (OLD.lookup); END;",
};

/* What makes a database a replica: every change casework makes is noted in sync_outbox (unless
 * a pull is applying the server's state, marked by the 'applying' row), and the audit entries
 * after the server's head (base-seq) may be deleted, to be renumbered after the server's. */
#define REPLICA_NOTE(kind, ref, item) \
    " BEGIN INSERT INTO sync_outbox(audit_seq, kind, case_ref, item) VALUES" \
    " ((SELECT coalesce(max(seq), 0) FROM audit_log), " kind ", " ref ", " item "); END;"
#define REPLICA_NOT_APPLYING " WHEN NOT EXISTS (SELECT 1 FROM sync_state WHERE name = 'applying')"

static const char replica[] =
    "CREATE TRIGGER sync_record_added AFTER INSERT ON records" REPLICA_NOT_APPLYING
    REPLICA_NOTE("2", "(SELECT ref FROM cases WHERE id = NEW.case_id)", "NEW.id")
    "CREATE TRIGGER sync_record_resealed AFTER UPDATE OF envelope ON records" REPLICA_NOT_APPLYING
    REPLICA_NOTE("3", "(SELECT ref FROM cases WHERE id = NEW.case_id)", "NEW.id")
    /* sync_status_set (kind 4) comes with migration 9, for every database, active on replicas */
    "CREATE TRIGGER sync_arrival_logged AFTER UPDATE OF arrival_logged ON cases" REPLICA_NOT_APPLYING
    " AND NEW.arrival_logged = 1 AND OLD.arrival_logged = 0" REPLICA_NOTE("5", "NEW.ref", "0")
    "CREATE TRIGGER sync_case_erased BEFORE DELETE ON cases" REPLICA_NOT_APPLYING
    REPLICA_NOTE("6", "OLD.ref", "coalesce((SELECT id FROM records WHERE case_id = OLD.id ORDER BY seq DESC LIMIT 1), 0)")
    "CREATE TRIGGER sync_figures_kept AFTER INSERT ON retained_figures" REPLICA_NOT_APPLYING
    REPLICA_NOTE("7", "''", "NEW.id")
    "DROP TRIGGER audit_log_no_delete;"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
    "  WHEN substr(OLD.entry, 1, 1) <> x'01'"
    "  AND OLD.seq <= coalesce((SELECT value FROM sync_state WHERE name = 'base-seq'), 0)"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

const char *store_schema_replica(void)
{
    return replica;
}


const char *store_schema_migration(int version)
{
    if (version < 1 || version > store_schema_latest())
        return 0;
    return migrations[version - 1];
}

int store_schema_latest(void)
{
    return (int)(sizeof migrations / sizeof migrations[0]);
}
