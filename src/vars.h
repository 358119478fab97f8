/* vars.h: global variables, plain or shared. */
#ifndef WEFT_VARS_H
#define WEFT_VARS_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "shm.h"

#define VARS_MAX 1024

struct var {
	char name[AST_NAME_MAX + 1];
	cell_t *cell;
	bool shared;
};

/* The globals. A plain variable's cell is in weft's own memory: threads
 * share it, and a process gets its own copy when it is forked. A shared
 * one's cell is in the shared segment. Cells never move. */
struct vars {
	struct var v[VARS_MAX];
	size_t n;
	cell_t plain[VARS_MAX];
	size_t nplain, nshared;
	struct shm *shm;
};

/* Returns the index of variable NAME, or -1. */
int vars_find(const struct vars *vs, const char *name);

/* Returns the index of NAME, making it (plain, never set) when it does
 * not exist; -1 when there are VARS_MAX already. */
int vars_intern(struct vars *vs, const char *name);

/* Returns how many more variables can be made. */
size_t vars_room(const struct vars *vs);

/* Makes NAME shared, keeping its value or that it has none (or setting
 * VALUE when SET).
 * Returns its index, or -1 when the shared segment is full. A worker that
 * already runs keeps the cell it started with. */
int vars_share(struct vars *vs, const char *name, bool set, int64_t value);

/* Forgets every variable. */
void vars_reset(struct vars *vs);

/* Every variable's value (or that it has none), kept by vars_save. */
struct vars_saved {
	size_t n, nplain, nshared;
	bool set[VARS_MAX];
	int64_t v[VARS_MAX];
};

/* Keeps what the variables hold in SV. */
void vars_save(const struct vars *vs, struct vars_saved *sv);
/* Gives every variable kept in SV its value again (or none), and forgets
 * those made since; no worker may be running. */
void vars_restore(struct vars *vs, const struct vars_saved *sv);

#endif
