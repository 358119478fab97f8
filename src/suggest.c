/*
 * suggest.c: the "did you mean" of weft's errors. A mistyped name is
 * compared with every name it could have meant (commands, tasks, workers,
 * variables, locks, help topics: the caller offers them) and one is
 * suggested only when the choice is clear, since a wrong guess teaches a
 * beginner the wrong word: a name the typed word is the start of, when
 * only one such exists, or else the one nearest name, when it is near
 * enough. Nearness is the edit distance with swaps of neighbours counted
 * as one edit, because "stpe" is one slip of the fingers, not two.
 */
#include "config.h"

#include <string.h>

#include "suggest.h"

static int
min3(int a, int b, int c)
{
	int m = a < b ? a : b;

	return m < c ? m : c;
}

int
suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	/* Three rows of the usual table: two back, one back, this one. */
	int rows[3][SUGGEST_MAX_LEN + 1];
	int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
		return SUGGEST_MAX_LEN + 1;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			cur[j] = min3(prev[j] + 1, cur[j - 1] + 1,
				      prev[j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < cur[j])
				cur[j] = prev2[j - 2] + 1;
		}
		int *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

void
suggest_begin(struct suggest *sg, const char *typed)
{
	memset(sg, 0, sizeof *sg);
	sg->typed = typed;
	sg->len = strlen(typed);
	sg->best_dist = SUGGEST_MAX_LEN + 1;
}

void
suggest_offer(struct suggest *sg, const char *name)
{
	int d;

	if (sg->len == 0 || strcmp(name, sg->typed) == 0)
		return;
	/* A name offered twice (a command and a help topic) counts once. */
	if (strncmp(name, sg->typed, sg->len) == 0 &&
	    (sg->prefix == NULL || strcmp(name, sg->prefix) != 0)) {
		sg->prefix = sg->prefix ? sg->prefix : name;
		sg->nprefix++;
	}
	d = suggest_distance(sg->typed, name);
	if (d < sg->best_dist) {
		sg->best = name;
		sg->best_dist = d;
		sg->nbest = 1;
	} else if (sg->best != NULL && d == sg->best_dist &&
		   strcmp(name, sg->best) != 0) {
		sg->nbest++;
	}
}

const char *
suggest_result(const struct suggest *sg)
{
	int limit = sg->len / 3 > 1 ? (int)(sg->len / 3) : 1;

	/* The start of several names is an abbreviation, not a slip. */
	if (sg->nprefix > 0)
		return sg->nprefix == 1 ? sg->prefix : NULL;
	if (sg->nbest == 1 && sg->best_dist <= limit)
		return sg->best;
	return NULL;
}

bool
suggest_say(const struct suggest *sg, struct buf *out)
{
	const char *best = suggest_result(sg);

	if (best != NULL)
		buf_printf(out, "; did you mean '%s'?", best);
	return best != NULL;
}
