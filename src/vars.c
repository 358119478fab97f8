/*
 * vars.c: the table of global variables, on the main thread only. Workers
 * never look names up: when a worker starts, each global its task uses is
 * bound to a cell pointer, so the table can change while they run.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "vars.h"

int
vars_find(const struct vars *vs, const char *name)
{
	for (size_t i = 0; i < vs->n; i++)
		if (strcmp(vs->v[i].name, name) == 0)
			return (int)i;
	return -1;
}

int
vars_intern(struct vars *vs, const char *name)
{
	int i = vars_find(vs, name);
	struct var *v;

	if (i >= 0)
		return i;
	if (vs->n == VARS_MAX || vs->nplain == VARS_MAX)
		return -1;
	v = &vs->v[vs->n];
	snprintf(v->name, sizeof v->name, "%s", name);
	v->cell = &vs->plain[vs->nplain++];
	cell_unset(v->cell);
	v->shared = false;
	return (int)vs->n++;
}

size_t
vars_room(const struct vars *vs)
{
	/* A shared variable keeps the plain cell it had: nplain <= n. */
	return VARS_MAX - vs->n;
}

int
vars_share(struct vars *vs, const char *name, bool set, int64_t value)
{
	int i = vars_intern(vs, name);
	struct var *v;

	if (i < 0)
		return -1;
	v = &vs->v[i];
	if (!v->shared) {
		if (vs->nshared == SHM_CELLS)
			return -1;
		cell_t *cell = &vs->shm->cells[vs->nshared++];
		int64_t old;
		if (cell_get(v->cell, &old))
			cell_put(cell, old);
		else
			cell_unset(cell);
		v->cell = cell;
		v->shared = true;
	}
	if (set)
		cell_put(v->cell, value);
	return i;
}

void
vars_reset(struct vars *vs)
{
	vs->n = vs->nplain = vs->nshared = 0;
	memset(vs->shm->cells, 0, sizeof vs->shm->cells);
}

void
vars_save(const struct vars *vs, struct vars_saved *sv)
{
	sv->n = vs->n;
	sv->nplain = vs->nplain;
	sv->nshared = vs->nshared;
	for (size_t i = 0; i < vs->n; i++)
		sv->set[i] = cell_get(vs->v[i].cell, &sv->v[i]);
}

void
vars_restore(struct vars *vs, const struct vars_saved *sv)
{
	/* Cells given since are left as never set: a later variable
	 * takes them afresh. */
	for (size_t i = sv->nplain; i < vs->nplain; i++)
		cell_unset(&vs->plain[i]);
	for (size_t i = sv->nshared; i < vs->nshared; i++)
		cell_unset(&vs->shm->cells[i]);
	vs->n = sv->n;
	vs->nplain = sv->nplain;
	vs->nshared = sv->nshared;
	for (size_t i = 0; i < vs->n; i++) {
		if (sv->set[i])
			cell_put(vs->v[i].cell, sv->v[i]);
		else
			cell_unset(vs->v[i].cell);
	}
}
