/*
 * store_schema.h: the numbered migrations that build the store's schema (internal to core).
 */
#ifndef SEA_STORE_SCHEMA_H
#define SEA_STORE_SCHEMA_H

#include <stddef.h>

/* store_schema_migration: the SQL that takes the schema from version - 1 to version, or NULL. */
const char *store_schema_migration(int version);

/* store_schema_replica: the SQL that makes a database (at the latest version) a replica. */
const char *store_schema_replica(void);

/* store_schema_latest: the highest version a migration exists for. */
int store_schema_latest(void);

#endif
