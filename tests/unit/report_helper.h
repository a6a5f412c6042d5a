/* report_helper.h - an in-memory store and a configuration for report tests. */
#ifndef PAYBACK_REPORT_HELPER_H
#define PAYBACK_REPORT_HELPER_H

#include <stdlib.h>
#include <time.h>

#include "../../daemon/config/config.h"
#include "../../daemon/store/store.h"
#include "../../reports/saved.h"
#include "../../reports/report.h"

/* Loads config_text into cfg and opens an empty store in UTC with the report functions. */
static inline struct store *open_report_store(struct config *cfg, const char *config_text)
{
	struct store *st;
	struct rollup_basis basis;
	char err[512];

	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(config_load_text(cfg, "t.yaml", config_text, err, sizeof(err)), 0);
	assert_int_equal(store_open(&st, ":memory:", err, sizeof(err)), 0);
	assert_int_equal(report_register_functions(store_db(st), cfg), 0);
	saved_rollup_basis(cfg, &basis);
	assert_int_equal(store_rollup_ensure(st, &basis, err, sizeof(err)), 0);
	return st;
}

#endif
