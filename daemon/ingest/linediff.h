/*
 * linediff.h - how many lines an edit really changed: a line diff of the
 * text before and after, for tools that give both texts and no patch.
 */
#ifndef PAYBACK_LINEDIFF_H
#define PAYBACK_LINEDIFF_H

#include <stdint.h>

/*
 * Lines of after that are not in before (added) and of before not in
 * after (removed), by the longest common subsequence of their lines: an
 * edit of two lines in a forty-line block counts two, not forty. NULL is
 * an empty text. Past LINEDIFF_MAX_CELLS of work, the lines between the
 * common head and tail all count as changed.
 */
void line_diff(const char *before, const char *after, int64_t *added, int64_t *removed);

#define LINEDIFF_MAX_CELLS ((size_t)4 * 1024 * 1024)

#endif
