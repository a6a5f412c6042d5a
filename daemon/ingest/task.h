/*
 * task.h - the kind of work a prompt asks for, decided locally from its
 * words (no prompt text is stored): debug, test, refactor, feature, docs,
 * review or other. Requests inherit their prompt's task; a native event's
 * own task wins. docs/ingest.md gives the rules and their accuracy on the
 * labelled prompts of tests/fixtures/tasks/prompts.tsv.
 */
#ifndef PAYBACK_TASK_H
#define PAYBACK_TASK_H

/* The task of a prompt's text: a static string, "other" when no rule fits. */
const char *task_classify(const char *prompt);

#endif
