/*
 * store-statements.c: every SQL statement the project runs on its tables, in one table indexed
 * by store_stmt_id (see store-internal.h). The schema is in store_schema.c; store.c runs only
 * pragmas, transaction control and the migrations. Values from a vocabulary are bound, never
 * typed here.
 */
#include "store-internal.h"

#define CASE_COLUMNS "id, ref, received, status, reporter_pk"

static const char *const statements[STORE_STMT_COUNT] = {
    [STMT_CASE_INSERT] = "INSERT INTO cases(ref, received, lookup, reporter_pk) VALUES (?1, ?2, ?3, ?4)",
    [STMT_CASE_BY_REF] = ("SELECT " CASE_COLUMNS " FROM cases WHERE ref = ?1"),
    [STMT_CASE_BY_LOOKUP] = ("SELECT " CASE_COLUMNS " FROM cases WHERE lookup = ?1"),
    [STMT_CASE_SET_STATUS] = "UPDATE cases SET status = ?1 WHERE id = ?2",
    [STMT_CASES_ALL] = ("SELECT " CASE_COLUMNS " FROM cases ORDER BY received, id"),
    [STMT_CASES_WITH_STATUS] = ("SELECT " CASE_COLUMNS " FROM cases WHERE status = ?1 ORDER BY received, id"),
    [STMT_CASE_COUNT] = "SELECT count(*) FROM cases",
    [STMT_CASE_LAST_RECORD] = "SELECT coalesce(max(seq), 0) FROM records WHERE case_id = ?1",
    [STMT_RECORD_INSERT] = ("INSERT INTO records(id, case_id, audience, day, envelope, seq) VALUES (?5, ?1, ?2, ?3, ?4,"
                           " (SELECT coalesce(max(seq), 0) + 1 FROM records WHERE case_id = ?1))"),
    [STMT_RECORDS_OF_CASE] = ("SELECT r.id, r.case_id, r.audience, r.day, r.envelope, c.ref, r.seq"
                             " FROM records r JOIN cases c ON c.id = r.case_id"
                             " WHERE r.case_id = ?1 AND (?2 = 0 OR r.audience = ?2) ORDER BY r.seq"),
    [STMT_RECORDS_AFTER] = ("SELECT r.id, r.case_id, r.audience, r.day, r.envelope, c.ref, r.seq"
                           " FROM records r JOIN cases c ON c.id = r.case_id"
                           " WHERE r.case_id = ?1 AND r.seq > ?2 ORDER BY r.seq"),
    /* SQLite takes the bare column id from the row that holds max(seq) */
    [STMT_CASE_SEQS] = "SELECT case_id, max(seq), id FROM records GROUP BY case_id ORDER BY case_id",
    [STMT_FIGURES_MAX_ID] = "SELECT coalesce(max(id), 0) FROM retained_figures",
    [STMT_RECORD_REPLACE] = "UPDATE records SET envelope = ?1 WHERE id = ?2",
    [STMT_ATTACHMENT_INSERT] = "INSERT INTO attachments(case_id, meta_record, header) VALUES (?1, ?2, ?3)",
    [STMT_ATTACHMENT_CHUNK_INSERT] = "INSERT INTO attachment_chunks(attachment_id, seq, data) VALUES (?1, ?2, ?3)",
    [STMT_ATTACHMENT_GROW] = "UPDATE attachments SET stored_size = stored_size + ?1 WHERE id = ?2",
    [STMT_ATTACHMENT_HEADER] = "SELECT header, meta_record FROM attachments WHERE id = ?1",
    [STMT_ATTACHMENT_CHUNKS] = "SELECT data FROM attachment_chunks WHERE attachment_id = ?1 ORDER BY seq",
    [STMT_ATTACHMENTS_OF_CASE] = "SELECT id, meta_record FROM attachments WHERE case_id = ?1 ORDER BY id",
    [STMT_SETTING_GET] = "SELECT value FROM settings WHERE name = ?1",
    [STMT_SETTING_PUT] = "INSERT OR REPLACE INTO settings(name, value) VALUES (?1, ?2)",
    [STMT_AUDIT_ALL] = "SELECT entry FROM audit_log ORDER BY seq",
    [STMT_AUDIT_OLDEST] = "SELECT entry FROM audit_log ORDER BY seq LIMIT 1",
    [STMT_AUDIT_DROP_V1] = "DELETE FROM audit_log WHERE substr(entry, 1, 1) = x'01'",
    [STMT_AUDIT_KEYS_FORGET] = "DELETE FROM audit_keys",
    [STMT_AUDIT_NEWEST] = "SELECT entry FROM audit_log ORDER BY seq DESC LIMIT 1",
    [STMT_AUDIT_INSERT] = "INSERT INTO audit_log(seq, entry) VALUES (?1, ?2)",
    [STMT_AUDIT_KEY_ENTRY] = "SELECT l.entry FROM audit_keys k JOIN audit_log l ON l.seq = k.seq WHERE k.key_id = ?1",
    [STMT_AUDIT_KEY_PUT] = "INSERT OR REPLACE INTO audit_keys(key_id, seq) VALUES (?1, ?2)",
    [STMT_ARRIVALS_UNLOGGED] = "SELECT ref, received FROM cases WHERE arrival_logged = 0 AND received < ?1 ORDER BY id",
    [STMT_ARRIVALS_MARK] = "UPDATE cases SET arrival_logged = 1 WHERE arrival_logged = 0 AND received < ?1",
    [STMT_FIGURES_SINCE] = "SELECT id, envelope FROM retained_figures WHERE id > ?1 ORDER BY id",
    [STMT_FIGURES_INSERT] = "INSERT INTO retained_figures(envelope) VALUES (?1)",
    [STMT_CASE_DELETE_IF_UNCHANGED] = ("DELETE FROM cases WHERE id = ?1 AND status = ?3"
                                      " AND (SELECT coalesce(max(seq), 0) FROM records WHERE case_id = ?1) = ?2"),
};

const char *store_statement_sql(store_stmt_id id)
{
    return (unsigned)id < STORE_STMT_COUNT ? statements[id] : NULL;
}
