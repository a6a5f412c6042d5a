/* task.c - a prompt's task from weighted cue words. */
#include "task.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "../lib/util.h"

enum { T_DEBUG, T_TEST, T_REVIEW, T_DOCS, T_REFACTOR, T_FEATURE, T_OTHER, T_COUNT };

/* In this order a tie is broken: fixing beats testing beats adding. */
const char *const task_names[T_COUNT] = {"debug",    "test",    "review", "docs",
                                         "refactor", "feature", "other"};

/* What a team's own word weighs: more than every built-in cue of a prompt together. */
#define TASK_RULE_WEIGHT 100

struct cue {
	const char *words; /* lower case; a leading ' ' means the start of a word */
	int task, weight;
};

/*
 * A cue matches where its text appears; " test" also matches "tests" and
 * "testing". Weights: 3 for words that name the task outright, 2 for
 * strong signs, 1 for words common to several kinds of work.
 */
static const struct cue cues[] = {
    {" fix", T_DEBUG, 2},
    {" bug", T_DEBUG, 3},
    {" error", T_DEBUG, 2},
    {"exception", T_DEBUG, 3},
    {"traceback", T_DEBUG, 3},
    {"stack trace", T_DEBUG, 3},
    {" crash", T_DEBUG, 3},
    {" fail", T_DEBUG, 2},
    {" broken", T_DEBUG, 3},
    {"doesn't", T_DEBUG, 2},
    {"not working", T_DEBUG, 3},
    {"isn't working", T_DEBUG, 3},
    {" panic", T_DEBUG, 3},
    {"segfault", T_DEBUG, 3},
    {"segmentation fault", T_DEBUG, 3},
    {" why ", T_DEBUG, 2},
    {" wrong", T_DEBUG, 2},
    {" hang", T_DEBUG, 2},
    {" leak", T_DEBUG, 3},
    {"race condition", T_DEBUG, 3},
    {"timeout", T_DEBUG, 1},
    {"investigate", T_DEBUG, 3},
    {"diagnose", T_DEBUG, 3},
    {"track it down", T_DEBUG, 3},
    {"find out why", T_DEBUG, 3},
    {"figure out", T_DEBUG, 2},
    {" debug", T_DEBUG, 3},
    {"what's going on", T_DEBUG, 2},
    {"off-by-one", T_DEBUG, 3},
    {" 401", T_DEBUG, 2},
    {" 500", T_DEBUG, 2},
    {"econn", T_DEBUG, 3},
    {"not being", T_DEBUG, 2},
    {"disconnect", T_DEBUG, 2},
    {" blank", T_DEBUG, 1},
    {"duplicates when", T_DEBUG, 2},
    {"twice", T_DEBUG, 1},
    {" slow", T_DEBUG, 1},
    {"latency", T_DEBUG, 1},
    {" test", T_TEST, 3},
    {"coverage", T_TEST, 3},
    {"pytest", T_TEST, 3},
    {" jest", T_TEST, 3},
    {"cypress", T_TEST, 3},
    {"playwright", T_TEST, 3},
    {"rspec", T_TEST, 3},
    {" spec", T_TEST, 2},
    {" mock", T_TEST, 3},
    {"fixture", T_TEST, 2},
    {"assert", T_TEST, 2},
    {" e2e", T_TEST, 3},
    {" fuzz", T_TEST, 3},
    {"test case", T_TEST, 3},
    {"refactor", T_REFACTOR, 3},
    {" rename", T_REFACTOR, 3},
    {" extract", T_REFACTOR, 3},
    {"clean up", T_REFACTOR, 3},
    {"cleanup", T_REFACTOR, 3},
    {"simplify", T_REFACTOR, 3},
    {" split", T_REFACTOR, 2},
    {"restructure", T_REFACTOR, 3},
    {"reorganiz", T_REFACTOR, 3},
    {"reorganis", T_REFACTOR, 3},
    {"dedup", T_REFACTOR, 3},
    {"duplicated", T_REFACTOR, 3},
    {" tidy", T_REFACTOR, 3},
    {"moderniz", T_REFACTOR, 3},
    {"migrate from", T_REFACTOR, 3},
    {" inline", T_REFACTOR, 2},
    {"magic number", T_REFACTOR, 3},
    {"readable", T_REFACTOR, 3},
    {"coupling", T_REFACTOR, 3},
    {"decouple", T_REFACTOR, 3},
    {"consolidate", T_REFACTOR, 3},
    {" pull ", T_REFACTOR, 1},
    {" rewrite", T_REFACTOR, 2},
    {" convert", T_REFACTOR, 2},
    {" pattern", T_REFACTOR, 2},
    {"global state", T_REFACTOR, 3},
    {"break up", T_REFACTOR, 3},
    {"style guide", T_REFACTOR, 3},
    {"dead code", T_REFACTOR, 3},
    {" replace the", T_REFACTOR, 2},
    {" move the", T_REFACTOR, 2},
    {"into smaller", T_REFACTOR, 3},
    {"dependency injection", T_REFACTOR, 3},
    {"without changing behavio", T_REFACTOR, 3},
    {"meaningful", T_REFACTOR, 2},
    {"this mess", T_REFACTOR, 2},
    {" document", T_DOCS, 3},
    {" docs", T_DOCS, 3},
    {"readme", T_DOCS, 3},
    {"docstring", T_DOCS, 3},
    {" comment", T_DOCS, 2},
    {"changelog", T_DOCS, 3},
    {"tutorial", T_DOCS, 3},
    {" guide", T_DOCS, 2},
    {"release notes", T_DOCS, 3},
    {"jsdoc", T_DOCS, 3},
    {" faq", T_DOCS, 3},
    {"markdown", T_DOCS, 3},
    {".md", T_DOCS, 3},
    {"man page", T_DOCS, 3},
    {" adr", T_DOCS, 3},
    {"blog post", T_DOCS, 3},
    {"typos", T_DOCS, 3},
    {"wording", T_DOCS, 3},
    {"diagram", T_DOCS, 2},
    {"code of conduct", T_DOCS, 3},
    {"security policy", T_DOCS, 2},
    {"write up", T_DOCS, 2},
    {"translate the", T_DOCS, 2},
    {"explain the architecture", T_DOCS, 3},
    {" review", T_REVIEW, 3},
    {"look over", T_REVIEW, 3},
    {"feedback", T_REVIEW, 3},
    {" audit", T_REVIEW, 3},
    {"critique", T_REVIEW, 3},
    {"what do you think", T_REVIEW, 3},
    {"second opinion", T_REVIEW, 3},
    {"double check", T_REVIEW, 3},
    {"sanity check", T_REVIEW, 3},
    {"check my", T_REVIEW, 3},
    {"check this", T_REVIEW, 3},
    {"check whether", T_REVIEW, 3},
    {" assess", T_REVIEW, 3},
    {" evaluate", T_REVIEW, 3},
    {" approve", T_REVIEW, 3},
    {"spot any", T_REVIEW, 3},
    {" inspect", T_REVIEW, 3},
    {"go through the diff", T_REVIEW, 3},
    {"thread safe", T_REVIEW, 2},
    {" pr ", T_REVIEW, 2},
    {"pull request", T_REVIEW, 3},
    {"merge request", T_REVIEW, 3},
    {"anything is missing", T_REVIEW, 2},
    {"best practice", T_REVIEW, 2},
    {" add ", T_FEATURE, 1},
    {"implement", T_FEATURE, 2},
    {" create", T_FEATURE, 1},
    {" build", T_FEATURE, 1},
    {" support", T_FEATURE, 2},
    {" allow", T_FEATURE, 2},
    {"let users", T_FEATURE, 2},
    {"make it possible", T_FEATURE, 3},
    {"introduce", T_FEATURE, 2},
    {" new ", T_FEATURE, 1},
    {"endpoint", T_FEATURE, 1},
    {"write a script", T_FEATURE, 2},
    {" generate", T_FEATURE, 1},
    {" enable", T_FEATURE, 2},
    {" page", T_FEATURE, 1},
    {"webhook", T_FEATURE, 2},
    {"background job", T_FEATURE, 2},
    {" integrate", T_FEATURE, 2},
    {"feature", T_FEATURE, 2},
    {"dashboard", T_FEATURE, 1},
    {"switcher", T_FEATURE, 1},
    /* Operating the tools, asking about them: not a task of the list. */
    {" branch", T_OTHER, 3},
    {" commit", T_OTHER, 2},
    {" push", T_OTHER, 2},
    {" merge main", T_OTHER, 3},
    {" deploy to", T_OTHER, 3},
    {" install", T_OTHER, 3},
    {" run the", T_OTHER, 3},
    {" start the", T_OTHER, 3},
    {"bump the", T_OTHER, 3},
    {"disk usage", T_OTHER, 3},
    {"show me the", T_OTHER, 2},
    {"git log", T_OTHER, 3},
};

/* Only a prompt's head is read: a pasted log or file says little about the task. */
#define TASK_TEXT_MAX 1024

/* Whether cue appears in text (both lower case), with its leading-space rule. */
static int matches(const char *text, const char *cue)
{
	int at_word = cue[0] == ' ';

	for (const char *p = strstr(text, cue + at_word); p; p = strstr(p + 1, cue + at_word))
		if (!at_word || p == text || !isalnum((unsigned char)p[-1]))
			return 1;
	return 0;
}

/* The task index of a name, T_OTHER for an unknown one. */
static int task_index(const char *name)
{
	for (int t = 0; t < T_COUNT; t++)
		if (strcmp(task_names[t], name) == 0)
			return t;
	return T_OTHER;
}

const char *task_classify(const struct task_rule *rules, size_t n_rules, const char *prompt)
{
	int score[T_COUNT] = {0}, best = -1;
	char text[TASK_TEXT_MAX + 1], word[TASK_TEXT_MAX + 2];
	size_t n = 0;

	for (; prompt && prompt[n] && n < TASK_TEXT_MAX; n++)
		text[n] = (char)tolower((unsigned char)prompt[n]);
	text[n] = '\0';
	for (size_t r = 0; n > 0 && r < n_rules; r++)
		for (size_t w = 0; w < rules[r].n_words; w++) {
			size_t k = 0;

			/* A rule's word starts a word of the prompt, in any case. */
			word[k++] = ' ';
			for (const char *c = rules[r].words[w]; *c && k < sizeof(word) - 1; c++)
				word[k++] = (char)tolower((unsigned char)*c);
			word[k] = '\0';
			if (k > 1 && matches(text, word))
				score[task_index(rules[r].task)] += TASK_RULE_WEIGHT;
		}
	for (size_t i = 0; n > 0 && i < ARRAY_LEN(cues); i++)
		if (matches(text, cues[i].words))
			score[cues[i].task] += cues[i].weight;
	for (int t = 0; t < T_OTHER; t++)
		if (score[t] > 0 && (best < 0 || score[t] > score[best]))
			best = t;
	return task_names[best < 0 || score[T_OTHER] >= score[best] ? T_OTHER : best];
}

int task_file_kind(const char *path)
{
	const char *base = path ? strrchr(path, '/') : NULL;
	size_t n;

	if (path == NULL)
		return TASK_FILES_OTHER;
	base = base ? base + 1 : path;
	n = strlen(base);
	if (strstr(path, "/test/") || strstr(path, "/tests/") || strstr(path, "/__tests__/") ||
	    strstr(path, "/spec/") || strncmp(base, "test_", 5) == 0 ||
	    (n > 8 && strcmp(base + n - 8, "_test.go") == 0) || strstr(base, ".test.") ||
	    strstr(base, ".spec."))
		return TASK_FILES_TESTS;
	if ((n > 3 && strcmp(base + n - 3, ".md") == 0) ||
	    (n > 4 && strcmp(base + n - 4, ".rst") == 0) || strstr(path, "/docs/") ||
	    strncmp(path, "docs/", 5) == 0)
		return TASK_FILES_DOCS;
	return TASK_FILES_OTHER;
}

const char *task_refine(const char *task, int files)
{
	if (strcmp(task, "feature") != 0 && strcmp(task, "refactor") != 0 &&
	    strcmp(task, "other") != 0)
		return task;
	return files == TASK_FILES_TESTS  ? task_names[T_TEST]
	       : files == TASK_FILES_DOCS ? task_names[T_DOCS]
	                                  : task;
}
