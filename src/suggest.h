/* suggest.h: "did you mean": of the names a word could have meant, the one
 * it most likely meant, or none. */
#ifndef WEFT_SUGGEST_H
#define WEFT_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Words longer than this are never near anything. */
#define SUGGEST_MAX_LEN 64

struct suggest {
	const char *typed;
	size_t len;
	const char *best; /* the nearest name so far */
	int best_dist;
	int nbest;	    /* distinct names at that distance */
	const char *prefix; /* a name the typed word begins */
	int nprefix;	    /* distinct such names */
};

/* Returns the edit distance of A and B: insertions, deletions,
 * substitutions and swaps of two neighbours, one each (optimal string
 * alignment); more than SUGGEST_MAX_LEN when either is longer than that. */
int suggest_distance(const char *a, const char *b);

/* Starts a search for the name TYPED meant (TYPED must outlive it). */
void suggest_begin(struct suggest *sg, const char *typed);
/* Offers NAME (which must outlive the search) as what TYPED may mean. */
void suggest_offer(struct suggest *sg, const char *name);
/* Returns the name to suggest, or NULL: when TYPED begins some names,
 * the one such name (none if several); else the one nearest name when it
 * is within max(1, length of TYPED / 3) edits; never a guess between two
 * equally good names. */
const char *suggest_result(const struct suggest *sg);
/* Appends "; did you mean 'NAME'?" to OUT when there is a name to
 * suggest; returns whether there was. */
bool suggest_say(const struct suggest *sg, struct buf *out);

#endif
