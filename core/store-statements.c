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
    [STMT_CASE_REFS_BY_PREFIX] = ("SELECT ref FROM cases WHERE substr(ref, 1, length(?1)) = ?1 ORDER BY ref LIMIT ?2"),
    [STMT_CASE_BY_LOOKUP] = ("SELECT " CASE_COLUMNS " FROM cases WHERE lookup = ?1"),
    [STMT_CASE_ERASED] = "SELECT 1 FROM erased_lookups WHERE lookup = ?1",
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
    [STMT_SETTING_DELETE] = "DELETE FROM settings WHERE name = ?1",
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
    [STMT_SYNC_CASES] = "SELECT ref, received, status, lookup, reporter_pk, arrival_logged FROM cases ORDER BY id",
    [STMT_SYNC_RECORDS] = ("SELECT r.id, r.case_id, r.audience, r.day, r.envelope, c.ref, r.seq"
                          " FROM records r JOIN cases c ON c.id = r.case_id ORDER BY r.case_id, r.seq"),
    [STMT_SYNC_RECORD] = ("SELECT r.id, r.case_id, r.audience, r.day, r.envelope, c.ref, r.seq"
                         " FROM records r JOIN cases c ON c.id = r.case_id WHERE r.id = ?1"),
    [STMT_SYNC_ATTACHMENTS] = ("SELECT c.ref, a.id, a.meta_record, a.header, a.stored_size,"
                              " (SELECT count(*) FROM attachment_chunks k WHERE k.attachment_id = a.id)"
                              " FROM attachments a JOIN cases c ON c.id = a.case_id ORDER BY a.id"),
    [STMT_SYNC_HAS_ATTACHMENT] = ("SELECT count(*) FROM attachments a WHERE a.id = ?1"
                                 " AND (SELECT count(*) FROM attachment_chunks k WHERE k.attachment_id = a.id) = ?2"),
    [STMT_SYNC_FIGURES_HAS] = "SELECT count(*) FROM retained_figures WHERE envelope = ?1",
    [STMT_SYNC_CASE_PUT] = ("INSERT INTO cases(ref, received, status, lookup, reporter_pk, arrival_logged)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(ref) DO UPDATE"
                           " SET arrival_logged = max(arrival_logged, excluded.arrival_logged)"),
    [STMT_SYNC_CASE_STATUS] = "UPDATE cases SET status = ?2 WHERE ref = ?1 AND status <> ?2",
    [STMT_SYNC_CASE_DELETE] = "DELETE FROM cases WHERE ref = ?1",
    [STMT_SYNC_RECORD_PUT] = ("INSERT INTO records(id, case_id, seq, audience, day, envelope)"
                             " VALUES (?1, (SELECT id FROM cases WHERE ref = ?2), ?3, ?4, ?5, ?6)"
                             " ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, envelope = excluded.envelope"),
    [STMT_SYNC_RECORD_ADD] = ("INSERT INTO records(id, case_id, audience, day, envelope, seq)"
                             " SELECT ?1, c.id, ?3, ?4, ?5, (SELECT coalesce(max(seq), 0) + 1 FROM records WHERE case_id = c.id)"
                             " FROM cases c WHERE c.ref = ?2"),
    [STMT_SYNC_RECORD_SEQ] = "UPDATE records SET seq = ?2 WHERE id = ?1",
    [STMT_SYNC_RECORD_DELETE] = "DELETE FROM records WHERE id = ?1",
    [STMT_SYNC_RECORDS_PARK] = "UPDATE records SET seq = -seq WHERE seq > 0",
    [STMT_SYNC_PARKED] = "SELECT id, case_id FROM records WHERE seq < 0 ORDER BY case_id, seq DESC",
    [STMT_SYNC_UNPARK_ONE] = ("UPDATE records SET seq = (SELECT coalesce(max(seq), 0) + 1 FROM records WHERE case_id = ?2)"
                             " WHERE id = ?1"),
    [STMT_SYNC_ATTACHMENT_PUT] = ("INSERT INTO attachments(id, case_id, meta_record, header)"
                                 " VALUES (?1, (SELECT id FROM cases WHERE ref = ?2), ?3, ?4)"),
    [STMT_SYNC_ATTACHMENT_DROP] = "DELETE FROM attachments WHERE id = ?1",
    [STMT_SYNC_MARK_ARRIVAL] = "UPDATE cases SET arrival_logged = 1 WHERE ref = ?1",
    [STMT_SYNC_ERASE] = ("DELETE FROM cases WHERE ref = ?1 AND status = ?3"
                        " AND coalesce((SELECT id FROM records WHERE case_id = cases.id ORDER BY seq DESC LIMIT 1), 0) = ?2"),
    [STMT_SYNC_STATE_GET] = "SELECT value FROM sync_state WHERE name = ?1",
    [STMT_SYNC_STATE_PUT] = "INSERT OR REPLACE INTO sync_state(name, value) VALUES (?1, ?2)",
    [STMT_SYNC_STATE_DELETE] = "DELETE FROM sync_state WHERE name = ?1",
    [STMT_SYNC_ORIGIN_FILES] = "SELECT substr(name, 13), value FROM sync_state"
                               " WHERE substr(name, 1, 12) = 'origin-file:' ORDER BY name",
    [STMT_SYNC_OUTBOX] = "SELECT id, audit_seq, kind, case_ref, item, was FROM sync_outbox ORDER BY id",
    [STMT_SYNC_OUTBOX_PENDING] = "SELECT DISTINCT kind FROM sync_outbox WHERE case_ref = ?1",
    [STMT_SYNC_OUTBOX_PARK] = "UPDATE sync_outbox SET audit_seq = -audit_seq WHERE audit_seq > 0",
    [STMT_SYNC_OUTBOX_RENUMBER] = "UPDATE sync_outbox SET audit_seq = ?2 WHERE audit_seq = -?1",
    [STMT_SYNC_OUTBOX_FORGET] = "DELETE FROM sync_outbox WHERE audit_seq > 0 AND audit_seq <= ?1",
    [STMT_SYNC_OUTBOX_CLEAR] = "DELETE FROM sync_outbox",
    [STMT_SNAPSHOT] = "VACUUM INTO ?1",
    [STMT_AUDIT_FROM] = "SELECT entry FROM audit_log WHERE seq >= ?1 ORDER BY seq",
    [STMT_AUDIT_DROP_AFTER] = "DELETE FROM audit_log WHERE seq > ?1",
};

const char *store_statement_sql(store_stmt_id id)
{
    return (unsigned)id < STORE_STMT_COUNT ? statements[id] : NULL;
}
