/*
 * messages.h: every word the intake shows, by message id, in one catalogue per language
 * (messages-en.c, messages-fr.c). Code paths never hold display text. Messages may hold the
 * placeholders {1} and {2}, filled with numbers by pages.c; they are trusted markup (a few hold
 * <strong> or <a>), never user text.
 */
#ifndef SEA_INTAKE_MESSAGES_H
#define SEA_INTAKE_MESSAGES_H

#define MESSAGE_IDS(X) \
    X(M_LANG_CODE) X(M_OTHER_LANG_CODE) X(M_OTHER_LANG_NAME) X(M_SITE_TITLE) X(M_SKIP_LINK) \
    X(M_QUICK_EXIT) X(M_NAV_LABEL) X(M_NAV_REPORT) X(M_NAV_STATUS) X(M_PRIVACY_NOTE) \
    X(M_FORM_TITLE) X(M_FORM_INTRO) X(M_REQUIRED) X(M_OPTIONAL) \
    X(M_CATEGORY_LEGEND) \
    X(M_CAT_HARASSMENT) X(M_CAT_HARASSMENT_HINT) \
    X(M_CAT_SEXUAL_HARASSMENT) X(M_CAT_SEXUAL_HARASSMENT_HINT) \
    X(M_CAT_BULLYING) X(M_CAT_BULLYING_HINT) \
    X(M_CAT_DISCRIMINATION) X(M_CAT_DISCRIMINATION_HINT) \
    X(M_CAT_SEA) X(M_CAT_SEA_HINT) \
    X(M_CAT_OTHER) X(M_CAT_OTHER_HINT) \
    X(M_DETAILS_LEGEND) \
    X(M_DESCRIPTION_LABEL) X(M_DESCRIPTION_HINT) X(M_WHEN_LABEL) X(M_WHEN_HINT) \
    X(M_WHERE_LABEL) X(M_WHERE_HINT) X(M_PEOPLE_LABEL) X(M_PEOPLE_HINT) \
    X(M_WITNESSES_LABEL) X(M_WITNESSES_HINT) \
    X(M_ABOUT_LEGEND) X(M_ABOUT_HINT) X(M_SEX_LABEL) X(M_SEX_NOT_GIVEN) X(M_SEX_FEMALE) \
    X(M_SEX_MALE) X(M_SEX_OTHER) X(M_AGE_LABEL) X(M_AGE_NOT_GIVEN) X(M_AGE_UNDER_25) \
    X(M_AGE_25_34) X(M_AGE_35_44) X(M_AGE_45_54) X(M_AGE_55_PLUS) \
    X(M_CONTACT_LEGEND) X(M_CONTACT_LABEL) X(M_CONTACT_WARNING) \
    X(M_ATTACH_LABEL) X(M_ATTACH_HINT) \
    X(M_EXCLUDE_LEGEND) X(M_EXCLUDE_HINT) X(M_SUBMIT_REPORT) \
    X(M_ERROR_SUMMARY_TITLE) X(M_ERROR_PREFIX) X(M_ERR_CSRF) X(M_ERR_CATEGORY) \
    X(M_ERR_DESCRIPTION_EMPTY) X(M_ERR_DESCRIPTION_LONG) X(M_ERR_FIELD_LONG) X(M_ERR_UTF8) \
    X(M_ERR_CHOICE) X(M_ERR_EXCLUDE_ALL) X(M_ERR_FILE_TOO_LARGE) X(M_ERR_FILE_TOO_MANY) \
    X(M_ERR_FILES_NOT_KEPT) X(M_ERR_BROKEN_FORM) X(M_ERR_BODY_TOO_LARGE) \
    X(M_ERR_BUSY) X(M_ERR_FULL) X(M_ERR_RECEIPT_FORMAT) X(M_ERR_RECEIPT_UNKNOWN) \
    X(M_ERR_MESSAGE_EMPTY) X(M_ERR_NO_RECIPIENT_LEFT) X(M_ERR_NOT_A_FORM) \
    X(M_RECEIPT_TITLE) X(M_RECEIPT_INTRO) X(M_RECEIPT_LABEL) X(M_CASE_LABEL) X(M_CASE_HINT) \
    X(M_RECEIPT_KEEP) X(M_RECEIPT_NEXT) X(M_RECEIPT_FIRST_TITLE) X(M_RECEIPT_FIRST_BODY) \
    X(M_RECEIPT_ALREADY_SENT) X(M_ERR_FORM_RECEIPT) X(M_SAFETY_TITLE) X(M_SAFETY_ADVICE) X(M_MONTHS) \
    X(M_ST_HANDLED) X(M_ST_ERASED) X(M_ERASED_BODY) X(M_CLOSED_NOTE) X(M_CLOSING_MESSAGE) X(M_FOLLOWUP_ALREADY) \
    X(M_PROFILE_WHO) X(M_PROFILE_NEXT) X(M_PROFILE_CONTACT) X(M_PROFILE_SUPPORT) X(M_PROFILE_RETENTION) \
    X(M_SENT_TITLE) X(M_SENT_NOTE) X(M_SENT_REPORT) X(M_SENT_FOLLOWUP) X(M_SENT_TEXT) X(M_SENT_NO_TEXT) \
    X(M_SENT_FILES) X(M_SENT_OLDER) X(M_SENT_NONE) X(M_SIZE_UNITS) X(M_SENT_MORE_FILES) \
    X(M_STATUS_TITLE) X(M_STATUS_INTRO) X(M_RECEIPT_INPUT_LABEL) X(M_RECEIPT_INPUT_HINT) \
    X(M_SUBMIT_STATUS) X(M_STATUS_HEADING) X(M_STATUS_LABEL) X(M_RECEIVED_LABEL) \
    X(M_ST_NEW) X(M_ST_TRIAGED) X(M_ST_INVESTIGATING) X(M_ST_REFERRED) X(M_ST_CLOSED) \
    X(M_MESSAGES_HEADING) X(M_NO_MESSAGES) X(M_MESSAGE_FROM) \
    X(M_FOLLOWUP_HEADING) X(M_FOLLOWUP_LABEL) X(M_FOLLOWUP_HINT) X(M_SUBMIT_FOLLOWUP) \
    X(M_FOLLOWUP_SENT) X(M_UNREADABLE_MESSAGE) \
    X(M_NOT_FOUND_TITLE) X(M_NOT_FOUND_BODY) X(M_METHOD_TITLE) X(M_METHOD_BODY) \
    X(M_BUSY_TITLE) X(M_BUSY_BODY) X(M_BACK_TO_FORM)

typedef enum message_id {
#define MESSAGE_ENUM(id) id,
    MESSAGE_IDS(MESSAGE_ENUM)
#undef MESSAGE_ENUM
    MESSAGE_COUNT
} message_id;

typedef enum lang { LANG_EN = 0, LANG_FR = 1, LANG_COUNT } lang;

/* messages_en, messages_fr: the catalogues, indexed by message_id. */
extern const char *const messages_en[MESSAGE_COUNT];
extern const char *const messages_fr[MESSAGE_COUNT];

/* msg: the text of id in language l; never NULL (a missing entry is a build-time test failure). */
const char *msg(lang l, message_id id);

/* msg_id_name: the identifier of id as written in the source ("M_SITE_TITLE"), for tests. */
const char *msg_id_name(message_id id);

/*
 * lang_choose: the language for a request: query_lang ("en"/"fr", from ?lang= or a form's lang
 * field) when given and known, else the first of en/fr preferred by accept_language (q-values
 * honoured), else English. Either argument may be NULL. Reads accept_language once, and at most
 * its first LANG_HEADER_MAX bytes: its cost grows linearly with its length.
 */
#define LANG_HEADER_MAX 4096
lang lang_choose(const char *query_lang, const char *accept_language);

#endif
