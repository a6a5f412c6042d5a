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

#endif
