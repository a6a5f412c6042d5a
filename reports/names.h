/*
 * names.h - name ids of the rollup turned back into text. Reports read
 * rollup rows as they are stored, ids only, which is many times faster than
 * letting SQLite group and join them; a run of rows shares a few names.
 */
#ifndef PAYBACK_NAMES_H
#define PAYBACK_NAMES_H

#include <sqlite3.h>
#include <stdint.h>

struct name_cache;

struct name_cache *names_new(sqlite3 *db);
void names_free(struct name_cache *c);
/* The text of name id; "" for 0 or an unknown id; NULL when out of memory. Lives until names_free.
 */
const char *names_text(struct name_cache *c, int64_t id);

#endif
