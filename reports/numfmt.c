/* numfmt.c - numbers for people: separators, money, token counts. */
#include "numfmt.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void fmt_thousands(int64_t v, char *out, size_t n)
{
	char digits[32];
	size_t len, j = 0;
	int neg = v < 0;

	snprintf(digits, sizeof(digits), "%" PRIu64, neg ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v);
	len = strlen(digits);
	if (neg && j + 1 < n)
		out[j++] = '-';
	for (size_t i = 0; i < len && j + 2 < n; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[j++] = ',';
		out[j++] = digits[i];
	}
	out[j] = '\0';
}

void fmt_money(double v, char *out, size_t n)
{
	int64_t cents = (int64_t)(v * 100 + (v < 0 ? -0.5 : 0.5));
	char whole[32];

	fmt_thousands(cents / 100, whole, sizeof(whole));
	/* -0.40 has no whole part to carry the sign. */
	snprintf(out, n, "%s%s.%02d", cents < 0 && cents > -100 ? "-" : "", whole,
	         (int)((cents < 0 ? -cents : cents) % 100));
}

void fmt_short(double v, char *out, size_t n)
{
	static const char suffix[] = {'\0', 'k', 'M', 'B', 'T'};
	double a = fabs(v);
	size_t i = 0;

	if (a < 1000) {
		snprintf(out, n, "%.0f", v);
		return;
	}
	while (a >= 999.95 && i + 1 < sizeof(suffix)) {
		a /= 1000;
		v /= 1000;
		i++;
	}
	snprintf(out, n, a < 99.95 ? "%.1f%c" : "%.0f%c", v, suffix[i]);
}
