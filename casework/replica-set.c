/*
 * replica-set.c: the origins of a caseworker's replica (see replica-set.h).
 */
#include "replica-set.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "caseref.h"
#include "errors.h"

#define ORIGINS_SUFFIX ".origins"

int origin_name_valid(const char *name)
{
    size_t len = strlen(name);

    return len > 0 && len <= STORE_ORIGIN_NAME_MAX && name[0] != '-' &&
           strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") == len;
}

void origin_name_from_remote(const char *remote, char name[STORE_ORIGIN_NAME_MAX + 1])
{
    const char *from = remote, *end;
    size_t n = 0;

    if (strncmp(remote, "ssh://", 6) == 0) {
        from = remote + 6;
        end = from + strcspn(from, "/");
        for (const char *at = from; at < end; at++)
            if (*at == '@')
                from = at + 1;
        if (*from == '[')
            from++;
        end = from + strcspn(from, ":/]");
    } else {
        const char *slash = strrchr(remote, '/');
        from = slash != NULL ? slash + 1 : remote;
        end = from + strlen(from);
        if (end - from > 3 && strcmp(end - 3, ".db") == 0)
            end -= 3;
    }
    for (; from < end && n < STORE_ORIGIN_NAME_MAX; from++) {
        char c = *from;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            c = '-';
        if (c == '-' && (n == 0 || name[n - 1] == '-'))
            continue;
        name[n++] = c;
    }
    while (n > 0 && name[n - 1] == '-')
        n--;
    name[n] = '\0';
    if (n == 0)
        snprintf(name, STORE_ORIGIN_NAME_MAX + 1, "intake");
}

/* Where the home's other origins live: the home's folder (with its slash) and base name. */
static void split_home(const char *home_path, char *dir, size_t dircap, const char **base)
{
    const char *slash = strrchr(home_path, '/');

    *base = slash != NULL ? slash + 1 : home_path;
    snprintf(dir, dircap, "%.*s", (int)(*base - home_path), home_path);
}

static int used_name(const replica_set *set, const char *name)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->o[i].name, name) == 0)
            return 1;
    return 0;
}

/* 1 when file is where an origin named name is kept: DIRNAME.origins/NAME.db, beside the home
 * (whoever can write the home must not make casework open any other database). */
static int origin_file_valid(const char *name, const char *file)
{
    const char *slash = strchr(file, '/');
    size_t dirlen = slash != NULL ? (size_t)(slash - file) : 0, suffix = sizeof ORIGINS_SUFFIX - 1;

    return origin_name_valid(name) && slash != NULL && dirlen > suffix && file[0] != '.' &&
           memcmp(slash - suffix, ORIGINS_SUFFIX, suffix) == 0 && strncmp(slash + 1, name, strlen(name)) == 0 &&
           strcmp(slash + 1 + strlen(name), ".db") == 0;
}

typedef struct open_ctx {
    replica_set *set;
    char *err;
    size_t errlen;
} open_ctx;

static int open_origin(void *vctx, const char *name, const char *file)
{
    open_ctx *c = vctx;
    replica_set *set = c->set;
    char dir[PATH_MAX], path[2 * PATH_MAX];
    const char *base;
    replica_origin *o;
    struct stat st;
    int rc;

    if (set->n == REPLICA_SET_MAX)
        return err_set(c->err, c->errlen, ERR_FORMAT, "%s names more than %d origins", set->home_path, REPLICA_SET_MAX);
    if (!origin_file_valid(name, file) || used_name(set, name))
        return err_set(c->err, c->errlen, ERR_FORMAT, "%s names an origin that is not well-formed (%s)", set->home_path,
                       name);
    split_home(set->home_path, dir, sizeof dir, &base);
    snprintf(path, sizeof path, "%s%s", dir, file);
    o = &set->o[set->n];
    memset(o, 0, sizeof *o);
    snprintf(o->name, sizeof o->name, "%s", name);
    if (stat(path, &st) != 0) {
        snprintf(o->missing, sizeof o->missing, "%s", path);
        set->n++;
        return 0;
    }
    rc = set->readonly ? store_open_readonly(path, &o->db, c->err, c->errlen)
                       : store_open(path, &o->db, c->err, c->errlen);
    if (rc != 0)
        return rc;
    o->owned = 1;
    set->n++;
    return 0;
}

int replica_set_open(replica_set *set, store *home, const char *home_path, int readonly, char *err, size_t errlen)
{
    open_ctx c = {set, err, errlen};
    int found, rc;

    memset(set, 0, sizeof *set);
    snprintf(set->home_path, sizeof set->home_path, "%s", home_path);
    set->readonly = readonly;
    set->o[0].db = home;
    set->n = 1;
    if ((rc = store_sync_origin(home, set->o[0].name, &found, err, errlen)) == 0 && found &&
        !origin_name_valid(set->o[0].name))
        rc = err_set(err, errlen, ERR_FORMAT, "%s holds an origin name that is not well-formed", home_path);
    if (rc == 0)
        rc = store_sync_origin_files_each(home, open_origin, &c, err, errlen);
    if (rc != 0) {
        replica_set_close(set);
        return rc;
    }
    return 0;
}

int replica_set_complete(const replica_set *set, char *err, size_t errlen)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->o[i].db == NULL)
            return err_set(err, errlen, ERR_NOTFOUND, "the replica of origin %s is missing: %s (restore it from a "
                           "backup, or make it again: casework sync REMOTE --origin %s)", set->o[i].name,
                           set->o[i].missing, set->o[i].name);
    return 0;
}

void replica_set_close(replica_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->o[i].owned)
            store_close(set->o[i].db);
    for (size_t i = 0; i < set->ndropped; i++)
        if (set->dropped[i].owned)
            store_close(set->dropped[i].db);
    set->n = set->ndropped = 0;
}

store *replica_set_store_named(const replica_set *set, const char *name)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->o[i].name, name) == 0)
            return set->o[i].db;
    return NULL;
}

const char *replica_set_name_of(const replica_set *set, const store *db)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->o[i].db == db)
            return set->o[i].name[0] ? set->o[i].name : NULL;
    return NULL;
}

void replica_set_names(const replica_set *set, char *out, size_t cap)
{
    size_t used = 0;

    out[0] = '\0';
    for (size_t i = 0; i < set->n && used < cap; i++)
        used += (size_t)snprintf(out + used, cap - used, "%s%s", i ? ", " : "", set->o[i].name[0] ? set->o[i].name : "(no name)");
}

int replica_set_narrow(replica_set *set, const char *name, char *err, size_t errlen)
{
    char all[256];
    size_t keep = set->n;

    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->o[i].name, name) == 0)
            keep = i;
    if (keep == set->n) {
        replica_set_names(set, all, sizeof all);
        return err_set(err, errlen, ERR_NOTFOUND, "no origin %s here (this replica's origins: %s)", name, all);
    }
    for (size_t i = 0; i < set->n; i++)
        if (i != keep)
            set->dropped[set->ndropped++] = set->o[i];
    set->o[0] = set->o[keep];
    set->n = 1;
    return 0;
}

/* The one case of the set (of origin, when named) whose reference starts with prefix. */
static int find_by_prefix(const replica_set *set, const char *origin, const char *prefix, size_t *which,
                          char ref[CASEREF_TEXT_SIZE], char *err, size_t errlen)
{
    char seen[3][CASEREF_TEXT_SIZE], names[3][STORE_ORIGIN_NAME_MAX + 2];
    size_t total = 0;

    for (size_t i = 0; i < set->n; i++) {
        char refs[3][CASEREF_TEXT_SIZE];
        size_t found;
        int rc;
        if ((origin[0] && strcmp(set->o[i].name, origin) != 0) || set->o[i].db == NULL)
            continue;
        if ((rc = store_case_refs_by_prefix(set->o[i].db, prefix, refs, 3, &found, err, errlen)) != 0)
            return rc;
        for (size_t j = 0; j < found && j < 3; j++, total++)
            if (total < 3) {
                memcpy(seen[total], refs[j], CASEREF_TEXT_SIZE);
                snprintf(names[total], sizeof names[total], "%s%s", set->n > 1 ? set->o[i].name : "",
                         set->n > 1 ? ":" : "");
                *which = i;
            }
        total += found > 3 ? found - 3 : 0;
    }
    if (total == 1) {
        snprintf(ref, CASEREF_TEXT_SIZE, "%s", seen[0]);
        return 0;
    }
    if (total == 0)
        return err_set(err, errlen, ERR_NOTFOUND, "no case starts with %s (check the reference with casework list)",
                       prefix);
    return err_set(err, errlen, ERR_EXISTS, "%s is the start of %s%s, %s%s%s%s%s: type more of the reference", prefix,
                   names[0], seen[0], names[1], seen[1], total > 2 ? ", " : "", total > 2 ? names[2] : "",
                   total > 2 ? seen[2] : "");
}

int replica_set_find_case(const replica_set *set, const char *typed, size_t *which, char ref[CASEREF_TEXT_SIZE],
                          char *err, size_t errlen)
{
    const char *colon = strchr(typed, ':');
    char origin[STORE_ORIGIN_NAME_MAX + 1] = "", all[256];
    size_t found = 0, first = 0, second = 0;

    if (colon != NULL) {
        if ((size_t)(colon - typed) > STORE_ORIGIN_NAME_MAX)
            return err_set(err, errlen, ERR_NOTFOUND, "no origin %.*s here", (int)(colon - typed), typed);
        snprintf(origin, sizeof origin, "%.*s", (int)(colon - typed), typed);
        typed = colon + 1;
    }
    if (caseref_normalize(typed, ref) != 0) {
        char prefix[CASEREF_TEXT_SIZE];
        if (caseref_prefix(typed, prefix) != 0)
            return err_set(err, errlen, ERR_FORMAT, "'%s' is not a case reference (they look like K7QM3-XH9A2, or "
                           "ORIGIN:K7QM3-XH9A2; its first %d or more symbols will do when no other case starts so)",
                           typed, CASEREF_PREFIX_MIN);
        return find_by_prefix(set, origin, prefix, which, ref, err, errlen);
    }
    for (size_t i = 0; i < set->n; i++) {
        store_case c;
        int rc;
        if ((origin[0] && strcmp(set->o[i].name, origin) != 0) || set->o[i].db == NULL)
            continue;
        rc = store_case_by_ref(set->o[i].db, ref, &c, err, errlen);
        if (rc == ERR_NOTFOUND)
            continue;
        if (rc != 0)
            return rc;
        if (found++ == 0)
            first = i;
        else
            second = i;
    }
    if (found == 1) {
        *which = first;
        return 0;
    }
    if (found > 1)
        return err_set(err, errlen, ERR_EXISTS, "two intakes gave the reference %s: write %s:%s or %s:%s", ref,
                       set->o[first].name, ref, set->o[second].name, ref);
    if (origin[0]) {
        for (size_t i = 0; i < set->n; i++)
            if (strcmp(set->o[i].name, origin) == 0)
                return err_set(err, errlen, ERR_NOTFOUND, "no case %s from %s (check the reference with casework list)",
                               ref, origin);
        for (size_t i = 0; i < set->ndropped; i++)
            if (strcmp(set->dropped[i].name, origin) == 0)
                return err_set(err, errlen, ERR_NOTFOUND, "%s:%s is left out by --origin %s", origin, ref, set->o[0].name);
        replica_set_names(set, all, sizeof all);
        return err_set(err, errlen, ERR_NOTFOUND, "no origin %s here (this replica's origins: %s)", origin, all);
    }
    return err_set(err, errlen, ERR_NOTFOUND, "no case %s (check the reference with casework list)", ref);
}

/* The name a new origin takes: name when given and free; else one made from remote that no
 * other origin uses. */
static int choose_name(const replica_set *set, const char *name, const char *remote,
                       char chosen[STORE_ORIGIN_NAME_MAX + 1], char *err, size_t errlen)
{
    char made[STORE_ORIGIN_NAME_MAX + 1];

    if (name != NULL) {
        snprintf(chosen, STORE_ORIGIN_NAME_MAX + 1, "%s", name);
        return used_name(set, chosen) ? err_set(err, errlen, ERR_EXISTS, "the origin %s here is another intake (give "
                                                "this one another --origin NAME)", chosen)
                                      : 0;
    }
    origin_name_from_remote(remote, made);
    snprintf(chosen, STORE_ORIGIN_NAME_MAX + 1, "%s", made);
    for (unsigned k = 2; used_name(set, chosen) && k <= REPLICA_SET_MAX + 1; k++)
        snprintf(chosen, STORE_ORIGIN_NAME_MAX + 1, "%.*s-%02u", STORE_ORIGIN_NAME_MAX - 3, made, k % 100);
    return 0;
}

/* The file of origin i, which went missing, made again where it was, for the server id. */
static int remake_origin(replica_set *set, size_t i, const unsigned char id[16], size_t *which, char *err,
                         size_t errlen)
{
    replica_origin *o = &set->o[i];
    int rc = store_open(o->missing, &o->db, err, errlen);

    (void)id;   /* the exchange makes the new file that server's replica */
    if (rc != 0)
        return rc;
    o->owned = 1;
    o->missing[0] = '\0';
    *which = i;
    return 0;
}

/* A new origin for a server the set does not know: its file, made in DB.origins/. */
static int new_origin(replica_set *set, const unsigned char id[16], const char *name, const char *remote,
                      size_t *which, char *err, size_t errlen)
{
    char chosen[STORE_ORIGIN_NAME_MAX + 1], dir[PATH_MAX], folder[2 * PATH_MAX], path[3 * PATH_MAX];
    unsigned char of[16];
    const char *base;
    replica_origin *o;
    int is, rc;

    for (size_t i = 0; i < set->n; i++)
        if (set->o[i].db == NULL && strcmp(set->o[i].name, name) == 0)
            return remake_origin(set, i, id, which, err, errlen);
    if (set->n == REPLICA_SET_MAX)
        return err_set(err, errlen, ERR_FULL, "this replica syncs with %d intakes already, the most it can", REPLICA_SET_MAX);
    if ((rc = choose_name(set, name, remote, chosen, err, errlen)) != 0)
        return rc;
    split_home(set->home_path, dir, sizeof dir, &base);
    if ((size_t)snprintf(folder, sizeof folder, "%s%s" ORIGINS_SUFFIX, dir, base) >= sizeof folder ||
        strlen(base) + sizeof ORIGINS_SUFFIX + STORE_ORIGIN_NAME_MAX + 4 >= sizeof set->o[0].file)
        return err_set(err, errlen, ERR_FORMAT, "the replica's path is too long");
    if (mkdir(folder, 0700) != 0 && errno != EEXIST)
        return err_set(err, errlen, ERR_IO, "cannot make %s: %s", folder, strerror(errno));
    if ((size_t)snprintf(path, sizeof path, "%s/%s.db", folder, chosen) >= sizeof path)
        return err_set(err, errlen, ERR_FORMAT, "the replica's path is too long");
    o = &set->o[set->n];
    memset(o, 0, sizeof *o);
    if ((rc = store_open(path, &o->db, err, errlen)) != 0)
        return rc;
    o->owned = 1;
    snprintf(o->name, sizeof o->name, "%s", chosen);
    if ((size_t)snprintf(o->file, sizeof o->file, "%s" ORIGINS_SUFFIX "/%s.db", base, chosen) >= sizeof o->file)
        return err_set(err, errlen, ERR_FORMAT, "the replica's path is too long");
    set->n++;
    /* a file left by an exchange cut short is taken up again; one of another server is not */
    if ((rc = store_sync_replica_of(o->db, of, &is, err, errlen)) != 0)
        return rc;
    if (is && sodium_memcmp(of, id, 16) != 0)
        return err_set(err, errlen, ERR_EXISTS, "%s is the replica of another intake (give this one another "
                       "--origin NAME)", path);
    *which = set->n - 1;
    return 0;
}

int replica_set_for_server(replica_set *set, const unsigned char id[16], const char *name, int may_add,
                           const char *remote, size_t *which, int *created, char *err, size_t errlen)
{
    unsigned char of[16];
    int is, home_is = 0, rc;

    *created = 0;
    for (size_t i = 0; i < set->n; i++) {
        if (set->o[i].db == NULL)
            continue;   /* missing: made again below when named */
        if ((rc = store_sync_replica_of(set->o[i].db, of, &is, err, errlen)) != 0)
            return rc;
        if (i == 0)
            home_is = is;
        if (!is || sodium_memcmp(of, id, 16) != 0)
            continue;
        if (name != NULL && set->o[i].name[0] && strcmp(name, set->o[i].name) != 0)
            return err_set(err, errlen, ERR_EXISTS, "this intake is the origin %s here, not %s", set->o[i].name, name);
        *which = i;
        return 0;
    }
    if (!home_is) {
        *which = 0;   /* the first exchange makes the home the replica (or refuses a database of cases) */
        return 0;
    }
    if (name == NULL || !may_add)   /* a slip of REMOTE must not quietly add an intake */
        return err_set(err, errlen, ERR_AUTH, "REMOTE is another intake than this replica's (%s): to sync with it too, "
                       "name it: casework sync REMOTE --origin NAME", set->o[0].name[0] ? set->o[0].name : "unnamed");
    if (set->o[0].name[0] == '\0')   /* a replica made before origins had names */
        return err_set(err, errlen, ERR_EXISTS, "this replica's own intake has no name yet: sync with it once "
                       "(casework sync ITS-REMOTE, or with --origin NAME), then add this one");
    *created = 1;
    return new_origin(set, id, name, remote, which, err, errlen);
}

int replica_set_register(replica_set *set, size_t which, const char *name, const char *remote, char *err,
                         size_t errlen)
{
    replica_origin *o = &set->o[which];
    unsigned char of[16];
    int is, rc;

    if ((rc = store_sync_replica_of(o->db, of, &is, err, errlen)) != 0 || !is)
        return rc;
    if (o->name[0] == '\0') {
        char chosen[STORE_ORIGIN_NAME_MAX + 1];
        if ((rc = choose_name(set, name, remote, chosen, err, errlen)) != 0 ||
            (rc = store_sync_set_origin(o->db, chosen, err, errlen)) != 0)
            return rc;
        snprintf(o->name, sizeof o->name, "%s", chosen);
    } else if ((rc = store_sync_set_origin(o->db, o->name, err, errlen)) != 0) {
        return rc;   /* (a file made again, or new, learns its name) */
    }
    if (o->file[0] != '\0') {
        if ((rc = store_sync_add_origin_file(set->o[0].db, o->name, o->file, err, errlen)) != 0)
            return rc;
        o->file[0] = '\0';
    }
    return 0;
}
