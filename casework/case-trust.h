/*
 * case-trust.h: which records of a case casework believes. The intake puts the Ed25519 keys of
 * the caseworkers a report is sealed to inside it ("signer_key"); every record casework writes
 * is signed (record-sig.h). Walking a case's records in order, a reply, note, triage or share
 * record is believed only if one of the case's signer keys signed it; a believed share adds the
 * new reader's key ("ed25519"). Anything else is forged: casework ignores it (it changes no
 * state, and nothing is sealed to a key it names) and show flags it. A report without signer
 * keys was filed before records were signed: its case's records are all believed, as before.
 * Every record casework writes also names its report (`report_hash`, BLAKE2b-256 of the report's
 * plaintext), so a record is believed only next to the report it was written for. The case is
 * tampered with (casework refuses to write to it, show warns) when it holds more than one
 * report (a thief can add one and order the records as they like), when a signed record names
 * another report (the report was replaced), or when signed records sit next to a report that
 * names no signer (a report from before signing put in place of the real one).
 */
#ifndef SEA_CASEWORK_CASE_TRUST_H
#define SEA_CASEWORK_CASE_TRUST_H

#include <stddef.h>

#include "envelope.h"
#include "fields.h"

#define CASE_TRUST_MAX_KEYS 64

typedef struct case_trust {
    int seen_report;    /* the report was walked */
    int reports;        /* how many reports the case holds: more than one means a forged one */
    int tampered;       /* the case's report was added to or replaced: casework must not write */
    unsigned char report_hash[32];   /* BLAKE2b-256 of the report's plaintext */
    int checks;         /* its report names signer keys: records are checked */
    unsigned char keys[CASE_TRUST_MAX_KEYS * 32];
    size_t nkeys;
} case_trust;

/* case_trust_init: a walk that has seen nothing yet. */
void case_trust_init(case_trust *t);

/* case_trust_report_hash: the report_hash of a report's plaintext. */
void case_trust_report_hash(const unsigned char *plain, size_t len, unsigned char hash[32]);

/*
 * case_trust_record: walks one decrypted record (in the case's order) of kind, sealed with ref,
 * plaintext plain (len bytes) decoded into n fields f. Returns 1 when casework believes it, 0 when
 * it is forged.
 */
int case_trust_record(case_trust *t, enum envelope_kind kind, const char *ref, const unsigned char *plain,
                      size_t len, const field *f, size_t n);

#endif
