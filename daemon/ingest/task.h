/*
 * task.h - the kind of work a prompt asks for, decided locally from its
 * words (no prompt text is stored): debug, test, refactor, feature, docs,
 * review or other. Requests inherit their prompt's task; a native event's
 * own task wins. docs/ingest.md gives the rules and their accuracy on the
 * labelled prompts of tests/fixtures/tasks/prompts.tsv.
 */
#ifndef PAYBACK_TASK_H
#define PAYBACK_TASK_H

#include <stddef.h>

/* A team's own cue words for a task (payback.yaml tasks:), before the built-in ones. */
struct task_rule {
	char *task; /* one of task_names */
	char **words;
	size_t n_words;
};

/* debug, test, review, docs, refactor, feature, other: the tasks a prompt may get. */
extern const char *const task_names[7];

/*
 * The task of a prompt's text: a static string, "other" when no rule fits.
 * A word of rules (n of them, NULL for none) in the prompt outweighs the
 * built-in cues.
 */
const char *task_classify(const struct task_rule *rules, size_t n, const char *prompt);

/* What the files a turn edited show so far: a bit per kind. */
enum { TASK_FILES_TESTS = 1, TASK_FILES_DOCS = 2, TASK_FILES_OTHER = 4 };

/* The kind of a file an agent edited: TASK_FILES_TESTS, _DOCS or _OTHER. */
int task_file_kind(const char *path);

/*
 * The task of a turn whose prompt's words gave task and whose edits touched
 * files: only tests makes it test, only documentation docs, when the words
 * said feature, refactor or other; debugging and reviewing stay as they are.
 */
const char *task_refine(const char *task, int files);

#endif
