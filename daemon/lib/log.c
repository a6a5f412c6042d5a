/*
 * log.c - one line per message on stderr. Under systemd (JOURNAL_STREAM set)
 * each line starts with "<N>" so journald records its priority; on a terminal
 * the program name and level are printed instead.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int max_level = LOG_LVL_INFO;
static int is_journal;

void log_init(int verbosity)
{
	is_journal = getenv("JOURNAL_STREAM") != NULL;
	max_level = verbosity < 0 ? LOG_LVL_WARN : verbosity > 0 ? LOG_LVL_DEBUG : LOG_LVL_INFO;
}

static void vlog(int level, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void vlog(int level, const char *fmt, va_list ap)
{
	static const char *names[] = {"", "", "", "error", "warning", "", "info", "debug"};

	if (level > max_level)
		return;
	if (is_journal)
		fprintf(stderr, "<%d>", level);
	else
		fprintf(stderr, "paybackd: %s%s", level <= LOG_LVL_WARN ? names[level] : "",
		        level <= LOG_LVL_WARN ? ": " : "");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define LOG_FN(name, level)                                                                        \
	void name(const char *fmt, ...)                                                            \
	{                                                                                          \
		va_list ap;                                                                        \
		va_start(ap, fmt);                                                                 \
		vlog(level, fmt, ap);                                                              \
		va_end(ap);                                                                        \
	}

LOG_FN(log_err, LOG_LVL_ERR)
LOG_FN(log_warn, LOG_LVL_WARN)
LOG_FN(log_info, LOG_LVL_INFO)
LOG_FN(log_debug, LOG_LVL_DEBUG)
