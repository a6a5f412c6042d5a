/* numfmt.h - numbers for people: separators, money, token counts. */
#ifndef PAYBACK_NUMFMT_H
#define PAYBACK_NUMFMT_H

#include <stddef.h>
#include <stdint.h>

/* 1234567 -> "1,234,567". */
void fmt_thousands(int64_t v, char *out, size_t n);
/* 1234.5 -> "1,234.50". */
void fmt_money(double v, char *out, size_t n);
/* Short counts: 950 -> "950", 12345 -> "12.3k", 1234567 -> "1.2M", 3.4e9 -> "3.4B". */
void fmt_short(double v, char *out, size_t n);

#endif
