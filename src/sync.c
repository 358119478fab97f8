/*
 * sync.c: semaphores, conditions, barriers and queues (see sync.h). An
 * object is a few words in the shared segment and a list of its waiters,
 * linked through their records (shm.waiters, one per registry slot). Every
 * change is made under shm.sync_mu; a worker that must wait joins the list,
 * lets the mutex go and sleeps on the futex word of its own record, in
 * slices, so that it sees a cancel request. Whoever wakes it takes it off
 * the list first and hands it what it waited for (a semaphore's unit, a
 * queue's value, a notify, a barrier's release), so a woken worker never
 * competes again: it only collects. Fields the main loop reads are atomics
 * (see shm.h), so reading needs no mutex.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "futex.h"
#include "lock.h"
#include "prng.h"
#include "sync.h"
#include "xmalloc.h"

#define SYNC_SLICE_NS (20 * 1000000L)

/* A waiter record's wake word: asleep, woken with what it waited for, or
 * forgotten by weft (sync_forget). */
enum { WAKE_ASLEEP, WAKE_WOKEN, WAKE_FORGOTTEN };

/* What became of a wait, seen by the waiter once it holds the mutex. */
enum fate {
	FATE_LISTED, /* still on the list: nobody woke it */
	FATE_WOKEN,  /* woken, with what it waited for */
	FATE_GONE,   /* forgotten by weft meanwhile */
};

const char *
sync_kind_name(enum sync_kind kind)
{
	switch (kind) {
	case SYNC_NONE: return "free entry";
	case SYNC_SEMAPHORE: return "semaphore";
	case SYNC_CONDITION: return "condition";
	case SYNC_BARRIER: return "barrier";
	case SYNC_QUEUE: return "queue";
	}
	return "?";
}

/* Takes the objects' mutex. When its holder died holding it, a change may
 * be half made, but that window is a few stores: go on with it. */
static void
take(struct shm *shm)
{
	if (pthread_mutex_lock(&shm->sync_mu) == EOWNERDEAD)
		pthread_mutex_consistent(&shm->sync_mu);
}

/* Waiters woken while the mutex is held, to be told once it is let go:
 * a waiter told at once would run straight into the mutex still held (a
 * wasted sleep and wake of both). Per thread: each worker has its own. */
#define WAKE_LATER 64
static _Thread_local _Atomic uint32_t *wake_later[WAKE_LATER];
static _Thread_local size_t nwake_later;

/* Lets the objects' mutex go, then wakes the waiters woken meanwhile. */
static void
give(struct shm *shm)
{
	size_t n = nwake_later;

	pthread_mutex_unlock(&shm->sync_mu);
	nwake_later = 0;
	for (size_t i = 0; i < n; i++)
		futex_wake(wake_later[i], 1);
}

/* Returns E cleared, or SPARE cleared when E is NULL. */
static struct sync_effect *
effect_clear(struct sync_effect *e, struct sync_effect *spare)
{
	if (e == NULL)
		e = spare;
	*e = (struct sync_effect){ .woke_slot = -1 };
	return e;
}

/* Writes V, a number or a word that fits, into cell C. */
static void
qcell_store(struct shm_qcell *c, const struct sync_value *v)
{
	atomic_store(&c->is_word, v->is_word);
	atomic_store(&c->i, v->is_word ? 0 : v->i);
	for (size_t k = 0; k <= SYNC_WORD_MAX; k++) {
		char ch = v->is_word ? v->word[k] : '\0';
		atomic_store_explicit(&c->word[k], ch, memory_order_relaxed);
		if (ch == '\0')
			break;
	}
}

/* Reads cell C into *V. */
static void
qcell_load(const struct shm_qcell *c, struct sync_value *v)
{
	v->is_word = atomic_load(&c->is_word) != 0;
	v->i = atomic_load(&c->i);
	for (size_t k = 0; k <= SYNC_WORD_MAX; k++) {
		v->word[k] =
			atomic_load_explicit(&c->word[k], memory_order_relaxed);
		if (v->word[k] == '\0')
			break;
	}
	v->word[SYNC_WORD_MAX] = '\0';
}

/* Copies cell FROM into cell TO. */
static void
qcell_copy(struct shm_qcell *to, const struct shm_qcell *from)
{
	struct sync_value v;

	qcell_load(from, &v);
	qcell_store(to, &v);
	atomic_store(&to->ticket, atomic_load(&from->ticket));
}

/* The next ticket; the caller holds the mutex. */
static uint32_t
next_ticket(struct shm *shm)
{
	if (++shm->tickets == 0) /* 0 means none */
		shm->tickets = 1;
	return shm->tickets;
}

uint32_t
sync_wake_ticket(const struct shm *shm, int slot)
{
	return atomic_load(&shm->waiters[slot].ticket);
}

/* Returns the cell holding the I-th oldest value of queue S. */
static struct shm_qcell *
qcell_at(struct shm *shm, const struct shm_sync *s, uint64_t i)
{
	uint64_t at = (atomic_load(&s->qhead) + i) % (uint64_t)s->limit;

	return &shm->qcells[s->qfirst + at];
}

/* Moves the oldest value of queue S STEP cells on (1) or back (-1). */
static void
qhead_move(struct shm_sync *s, int64_t step)
{
	int64_t at = (atomic_load(&s->qhead) + s->limit + step) % s->limit;

	atomic_store(&s->qhead, (uint32_t)at);
}

enum sync_result
sync_word(struct sync_value *v, const char *word)
{
	size_t n = strlen(word);

	v->is_word = true;
	v->i = 0;
	if (n > SYNC_WORD_MAX) {
		memcpy(v->word, word, sizeof v->word);
		return SYNC_WORD_LONG;
	}
	memcpy(v->word, word, n + 1);
	return SYNC_OK;
}

/* The objects made so far; acquire: each is written before it counts. */
static size_t
count(const struct shm *shm)
{
	return atomic_load_explicit(&shm->nsyncs, memory_order_acquire);
}

int
sync_find(const struct shm *shm, const char *name)
{
	size_t n = count(shm);

	for (size_t i = 0; i < n; i++)
		if (strcmp(shm->syncs[i].name, name) == 0)
			return (int)i;
	return -1;
}

size_t
sync_count(const struct shm *shm)
{
	return count(shm);
}

/* Says in WHY why object NAME of KIND (N, LOCK) cannot be made, or returns
 * true when it can; the caller holds the mutex. */
static bool
can_make(const struct shm *shm, const char *name, enum sync_kind kind,
	 int64_t n, int lock, char *why, size_t len)
{
	int other;

	if (kind <= SYNC_NONE || kind > SYNC_QUEUE) {
		snprintf(why, len, "there is no kind of object %d", (int)kind);
		return false;
	}
	if (strlen(name) >= SHM_LOCK_NAME) {
		snprintf(why, len, "a name has at most %d characters, not %zu",
			 SHM_LOCK_NAME - 1, strlen(name));
		return false;
	}
	if ((other = sync_find(shm, name)) >= 0) {
		snprintf(why, len, "'%s' is already a %s", name,
			 sync_kind_name(shm->syncs[other].kind));
		return false;
	}
	if (kind == SYNC_SEMAPHORE && n < 0) {
		snprintf(
			why, len,
			"a semaphore needs a value of at least 0, not %" PRId64,
			n);
		return false;
	}
	if (kind == SYNC_CONDITION &&
	    (lock < 0 || (uint32_t)lock >= atomic_load(&shm->nlocks))) {
		snprintf(why, len,
			 "a condition needs a lock: there is no lock %d", lock);
		return false;
	}
	if (kind == SYNC_BARRIER && n < 1) {
		snprintf(why, len,
			 "a barrier needs at least 1 party, not %" PRId64, n);
		return false;
	}
	if (kind == SYNC_QUEUE && (n < 1 || n > SYNC_QUEUE_MAX)) {
		snprintf(why, len, "a queue has 1 to %d cells, not %" PRId64,
			 SYNC_QUEUE_MAX, n);
		return false;
	}
	if (count(shm) == SHM_SYNCS) {
		snprintf(why, len, "no room for another object: there are %d",
			 SHM_SYNCS);
		return false;
	}
	if (kind == SYNC_QUEUE && n > SHM_QCELLS - shm->qused) {
		snprintf(why, len,
			 "no room for a queue of %" PRId64
			 " cell%s: %u are left of %d",
			 n, n == 1 ? "" : "s", SHM_QCELLS - shm->qused,
			 SHM_QCELLS);
		return false;
	}
	return true;
}

int
sync_make(struct shm *shm, const char *name, enum sync_kind kind, int64_t n,
	  int lock, char *why, size_t len)
{
	struct shm_sync *s;
	size_t i;

	take(shm);
	if (!can_make(shm, name, kind, n, lock, why, len)) {
		give(shm);
		return -1;
	}
	i = count(shm);
	s = &shm->syncs[i];
	s->kind = kind;
	snprintf(s->name, sizeof s->name, "%s", name);
	atomic_store(&s->value, kind == SYNC_SEMAPHORE ? n : 0);
	s->limit = kind == SYNC_BARRIER || kind == SYNC_QUEUE ? n : 0;
	atomic_store(&s->gen, 0);
	s->lock = kind == SYNC_CONDITION ? lock : -1;
	atomic_store(&s->head, -1);
	atomic_store(&s->tail, -1);
	atomic_store(&s->nwaiters, 0);
	atomic_store(&s->qhead, 0);
	s->qfirst = shm->qused;
	if (kind == SYNC_QUEUE)
		shm->qused += (uint32_t)n;
	atomic_store_explicit(&shm->nsyncs, (uint32_t)i + 1,
			      memory_order_release);
	give(shm);
	return (int)i;
}

/* Appends SLOT, which will wait to do OP, to the waiters of object OBJ;
 * the caller holds the mutex. */
static void
join(struct shm *shm, int obj, int slot, enum sync_op op)
{
	struct shm_sync *s = &shm->syncs[obj];
	struct shm_waiter *w = &shm->waiters[slot];

	atomic_store(&w->wake, WAKE_ASLEEP);
	atomic_store(&w->notified, 0);
	atomic_store(&w->op, op);
	atomic_store(&w->next, -1);
	if (atomic_load(&s->nwaiters) == 0)
		atomic_store(&s->head, slot);
	else
		atomic_store(&shm->waiters[atomic_load(&s->tail)].next, slot);
	atomic_store(&s->tail, slot);
	atomic_fetch_add(&s->nwaiters, 1);
	/* Last: a reader that sees it waiting sees its wake word at 0. */
	atomic_store(&w->obj, (uint32_t)obj + 1);
	if ((uint32_t)slot >= shm->sync_slots)
		shm->sync_slots = (uint32_t)slot + 1;
}

/* Returns the slot of the K-th waiter of S (K < its waiters); the caller
 * holds the mutex. */
static int
nth(const struct shm *shm, const struct shm_sync *s, size_t k)
{
	int slot = atomic_load(&s->head);

	while (k-- > 0)
		slot = atomic_load(&shm->waiters[slot].next);
	return slot;
}

/* Takes SLOT off the waiters of S; returns false when it is not on them.
 * The caller holds the mutex. */
static bool
unlink_waiter(struct shm *shm, struct shm_sync *s, int slot)
{
	uint32_t n = atomic_load(&s->nwaiters);
	int prev = -1, cur = atomic_load(&s->head);

	for (uint32_t k = 0; k < n; k++) {
		int next = atomic_load(&shm->waiters[cur].next);
		if (cur == slot) {
			if (prev < 0)
				atomic_store(&s->head, next);
			else
				atomic_store(&shm->waiters[prev].next, next);
			if (atomic_load(&s->tail) == slot)
				atomic_store(&s->tail, prev);
			atomic_fetch_sub(&s->nwaiters, 1);
			return true;
		}
		prev = cur;
		cur = next;
	}
	return false;
}

/* Chooses the waiter of S to wake, the first or, when DRAW and the order
 * is seeded, one drawn from the PRNG, and takes it off the list; returns
 * its slot, or -1 when none waits. The caller holds the mutex. */
static int
pick(struct shm *shm, struct shm_sync *s, bool draw)
{
	uint32_t n = atomic_load(&s->nwaiters);
	size_t k = 0;
	int slot;

	if (n == 0)
		return -1;
	if (draw && shm->sync_seeded)
		k = sched_pick(&shm->sync_prng, n);
	slot = nth(shm, s, k);
	unlink_waiter(shm, s, slot);
	return slot;
}

/* Wakes the waiter in SLOT, already off its list and handed what it waited
 * for, and counts it in E; the caller holds the mutex. */
static void
rouse(struct shm *shm, int slot, struct sync_effect *e)
{
	struct shm_waiter *w = &shm->waiters[slot];
	uint32_t t = next_ticket(shm);

	atomic_store(&w->ticket, t);
	atomic_store(&w->wake, WAKE_WOKEN);
	if (nwake_later < WAKE_LATER)
		wake_later[nwake_later++] = &w->wake; /* once the mutex goes */
	else
		futex_wake(&w->wake, 1);
	if (e->nwoke++ == 0) {
		e->woke_slot = slot;
		e->ticket = t;
	}
}

/* Sleeps until W is woken; returns true then, false as soon as CANCEL is
 * set (it is looked at first: a worker asked to stop leaves). */
static bool
doze(struct shm_waiter *w, atomic_bool *cancel)
{
	for (;;) {
		if (cancel != NULL && atomic_load(cancel))
			return false;
		if (atomic_load(&w->wake) != WAKE_ASLEEP)
			return true;
		futex_wait(&w->wake, WAKE_ASLEEP, SYNC_SLICE_NS);
	}
}

/* After a sleep, with the mutex held: what became of SLOT's wait on object
 * OBJ. SLOT leaves the object either way (taken off its list when still on
 * it); what was handed to it is the caller's to collect or give back. */
static enum fate
settle(struct shm *shm, int obj, int slot)
{
	struct shm_waiter *w = &shm->waiters[slot];
	enum fate f = FATE_WOKEN;

	if (atomic_load(&w->obj) != (uint32_t)obj + 1)
		return FATE_GONE;
	if (atomic_load(&w->wake) == WAKE_ASLEEP) {
		unlink_waiter(shm, &shm->syncs[obj], slot);
		f = FATE_LISTED;
	}
	atomic_store(&w->obj, 0);
	return f;
}

/* Gives a unit to semaphore S: to a waiter, woken, or to its value. The
 * caller holds the mutex. */
static void
hand_unit(struct shm *shm, struct shm_sync *s, struct sync_effect *e)
{
	int slot = pick(shm, s, true);

	if (slot >= 0)
		rouse(shm, slot, e);
	else
		atomic_fetch_add(&s->value, 1);
}

/* Passes a notify of condition S to one of its waiters, if any. The caller
 * holds the mutex. */
static void
hand_notify(struct shm *shm, struct shm_sync *s, struct sync_effect *e)
{
	int slot = pick(shm, s, true);

	if (slot >= 0) {
		atomic_store(&shm->waiters[slot].notified, 1);
		rouse(shm, slot, e);
	}
}

/* Gives value C, taken from queue S by a getter that leaves, back: to
 * the next getter, woken, or to S's front. Returns false when S has no
 * room (it filled up meanwhile). The caller holds the mutex. */
static bool
hand_back(struct shm *shm, struct shm_sync *s, const struct shm_qcell *c,
	  struct sync_effect *e)
{
	int64_t n = atomic_load(&s->value);
	int slot;

	if (n == 0 && (slot = pick(shm, s, true)) >= 0) {
		qcell_copy(&shm->waiters[slot].hand, c);
		rouse(shm, slot, e);
		return true;
	}
	if (n == s->limit)
		return false;
	qhead_move(s, -1);
	qcell_copy(qcell_at(shm, s, 0), c);
	atomic_store(&s->value, n + 1);
	return true;
}

enum sync_result
sync_sem_wait(struct shm *shm, int obj, uint32_t id, int slot,
	      atomic_bool *cancel, struct sync_effect *effect)
{
	struct shm_sync *s = &shm->syncs[obj];
	struct sync_effect spare, *e = effect_clear(effect, &spare);
	enum sync_result r = SYNC_CANCELLED;
	bool woke;

	take(shm);
	if (atomic_load(&s->value) > 0) {
		atomic_fetch_sub(&s->value, 1);
		give(shm);
		return SYNC_OK;
	}
	join(shm, obj, slot, SOP_SEM_WAIT);
	give(shm);
	e->waited = true;
	woke = doze(&shm->waiters[slot], cancel);
	take(shm);
	if (settle(shm, obj, slot) == FATE_WOKEN) {
		if (woke)
			r = SYNC_OK; /* the signal's unit is ours */
		else
			hand_unit(shm, s, e);
	}
	give(shm);
	return r;
}

enum sync_result
sync_sem_signal(struct shm *shm, int obj, uint32_t id, int slot,
		struct sync_effect *effect)
{
	struct sync_effect spare, *e = effect_clear(effect, &spare);

	take(shm);
	hand_unit(shm, &shm->syncs[obj], e);
	give(shm);
	return SYNC_OK;
}

enum sync_result
sync_cond_enter(struct shm *shm, int obj, uint32_t id, int slot,
		struct sync_effect *effect)
{
	struct shm_sync *s = &shm->syncs[obj];

	effect_clear(effect, &(struct sync_effect){ 0 });
	if (lock_holder(shm, s->lock) != (int64_t)id)
		return SYNC_NOT_HELD;
	/* Joined before the lock goes: a notify, which needs the lock,
	 * cannot come in between and miss it. */
	take(shm);
	join(shm, obj, slot, SOP_COND_SLEEP);
	give(shm);
	lock_release(shm, s->lock, id);
	return SYNC_OK;
}

enum sync_result
sync_cond_sleep(struct shm *shm, int obj, uint32_t id, int slot,
		atomic_bool *cancel, struct sync_effect *effect)
{
	struct shm_sync *s = &shm->syncs[obj];
	struct shm_waiter *w = &shm->waiters[slot];
	struct sync_effect spare, *e = effect_clear(effect, &spare);
	enum sync_result r = SYNC_CANCELLED;
	bool woke;

	e->waited = atomic_load(&w->wake) == WAKE_ASLEEP &&
		    atomic_load(&w->obj) == (uint32_t)obj + 1;
	woke = doze(w, cancel);
	take(shm);
	if (settle(shm, obj, slot) == FATE_WOKEN) {
		if (woke)
			r = SYNC_OK;
		else
			hand_notify(shm, s, e);
	}
	give(shm);
	return r;
}

bool
sync_cond_notified(const struct shm *shm, int obj, int slot)
{
	const struct shm_waiter *w = &shm->waiters[slot];

	return atomic_load(&w->obj) == (uint32_t)obj + 1 &&
	       atomic_load(&w->notified) != 0;
}

enum sync_result
sync_cond_notify(struct shm *shm, int obj, uint32_t id, int slot, uint32_t n,
		 bool all, struct sync_effect *effect)
{
	struct shm_sync *s = &shm->syncs[obj];
	struct sync_effect spare, *e = effect_clear(effect, &spare);
	uint32_t waiting;

	if (lock_holder(shm, s->lock) != (int64_t)id)
		return SYNC_NOT_HELD;
	take(shm);
	waiting = atomic_load(&s->nwaiters);
	e->lost = waiting == 0;
	if (all || n > waiting)
		n = waiting;
	/* notify_all wakes them all: there is no choice to draw. */
	for (uint32_t k = 0; k < n; k++) {
		int woken = pick(shm, s, !all);
		atomic_store(&shm->waiters[woken].notified, 1);
		rouse(shm, woken, e);
	}
	give(shm);
	return SYNC_OK;
}

enum sync_result
sync_barrier_arrive(struct shm *shm, int obj, uint32_t id, int slot,
		    struct sync_effect *effect)
{
	struct shm_sync *s = &shm->syncs[obj];
	struct sync_effect spare, *e = effect_clear(effect, &spare);
	int woken;

	take(shm);
	if (atomic_load(&s->value) + 1 < s->limit) {
		atomic_fetch_add(&s->value, 1);
		join(shm, obj, slot, SOP_BARRIER);
		give(shm);
		return SYNC_BLOCKED;
	}
	while ((woken = pick(shm, s, false)) >= 0)
		rouse(shm, woken, e);
	atomic_store(&s->value, 0);
	atomic_fetch_add(&s->gen, 1);
	e->last = true;
	give(shm);
	return SYNC_OK;
}

enum sync_result
sync_barrier_sleep(struct shm *shm, int obj, int slot, atomic_bool *cancel)
{
	struct shm_sync *s = &shm->syncs[obj];
	enum sync_result r = SYNC_CANCELLED;

	doze(&shm->waiters[slot], cancel);
	take(shm);
	switch (settle(shm, obj, slot)) {
	case FATE_WOKEN: /* released: that cannot be undone */
		r = SYNC_OK;
		break;
	case FATE_LISTED: atomic_fetch_sub(&s->value, 1); break;
	case FATE_GONE: break;
	}
	give(shm);
	return r;
}

enum sync_result
sync_put(struct shm *shm, int obj, uint32_t id, int slot,
	 const struct sync_value *v, atomic_bool *cancel,
	 struct sync_effect *effect)
{
	struct shm_sync *s = &shm->syncs[obj];
	struct shm_waiter *w = &shm->waiters[slot];
	struct sync_effect spare, *e = effect_clear(effect, &spare);
	enum sync_result r = SYNC_CANCELLED;
	int64_t n;
	int getter;

	if (v->is_word && memchr(v->word, '\0', sizeof v->word) == NULL)
		return SYNC_WORD_LONG;
	take(shm);
	n = atomic_load(&s->value);
	if (n == 0 && (getter = pick(shm, s, true)) >= 0) {
		qcell_store(&shm->waiters[getter].hand, v);
		atomic_store(&shm->waiters[getter].hand.ticket, 0);
		rouse(shm, getter, e);
		give(shm);
		return SYNC_OK;
	}
	if (n < s->limit) {
		struct shm_qcell *c = qcell_at(shm, s, (uint64_t)n);
		qcell_store(c, v);
		e->vticket = next_ticket(shm);
		atomic_store(&c->ticket, e->vticket);
		atomic_store(&s->value, n + 1);
		give(shm);
		return SYNC_OK;
	}
	qcell_store(&w->hand, v);
	join(shm, obj, slot, SOP_PUT);
	give(shm);
	e->waited = true;
	doze(w, cancel);
	take(shm);
	/* Woken, its value went in: done, cancelled or not. */
	if (settle(shm, obj, slot) == FATE_WOKEN) {
		e->vticket = atomic_load(&w->hand.ticket);
		r = SYNC_OK;
	}
	give(shm);
	return r;
}

enum sync_result
sync_get(struct shm *shm, int obj, uint32_t id, int slot, struct sync_value *v,
	 atomic_bool *cancel, struct sync_effect *effect)
{
	struct shm_sync *s = &shm->syncs[obj];
	struct shm_waiter *w = &shm->waiters[slot];
	struct sync_effect spare, *e = effect_clear(effect, &spare);
	enum sync_result r = SYNC_CANCELLED;
	int64_t n;
	int putter;
	bool woke;

	take(shm);
	if ((n = atomic_load(&s->value)) > 0) {
		qcell_load(qcell_at(shm, s, 0), v);
		e->vticket = atomic_load(&qcell_at(shm, s, 0)->ticket);
		qhead_move(s, 1);
		n--;
		/* The queue was full: a waiting putter's value goes in. */
		if ((putter = pick(shm, s, true)) >= 0) {
			struct shm_qcell *h = &shm->waiters[putter].hand;
			atomic_store(&h->ticket, next_ticket(shm));
			qcell_copy(qcell_at(shm, s, (uint64_t)n), h);
			n++;
			rouse(shm, putter, e);
		}
		atomic_store(&s->value, n);
		give(shm);
		return SYNC_OK;
	}
	join(shm, obj, slot, SOP_GET);
	give(shm);
	e->waited = true;
	woke = doze(w, cancel);
	take(shm);
	if (settle(shm, obj, slot) == FATE_WOKEN) {
		if (woke || !hand_back(shm, s, &w->hand, e)) {
			qcell_load(&w->hand, v);
			r = SYNC_OK;
		}
	}
	give(shm);
	return r;
}

bool
sync_would_wait(const struct shm *shm, int obj, enum sync_op op, int slot)
{
	const struct shm_sync *s = &shm->syncs[obj];

	switch (op) {
	case SOP_SEM_WAIT:
	case SOP_GET: return atomic_load(&s->value) == 0;
	case SOP_PUT: return atomic_load(&s->value) >= s->limit;
	case SOP_COND_SLEEP: return !sync_cond_notified(shm, obj, slot);
	case SOP_SIGNAL:
	case SOP_COND_ENTER:
	case SOP_NOTIFY:
	case SOP_BARRIER: break;
	}
	return false;
}

int
sync_waiting(const struct shm *shm, int slot)
{
	const struct shm_waiter *w = &shm->waiters[slot];
	uint32_t obj = atomic_load(&w->obj);

	if (obj == 0 || atomic_load(&w->wake) != WAKE_ASLEEP)
		return -1;
	return (int)obj - 1;
}

void
sync_view(const struct shm *shm, int obj, struct sync_view *v)
{
	const struct shm_sync *s = &shm->syncs[obj];
	size_t max = sizeof v->waiters / sizeof v->waiters[0];
	int slot = atomic_load(&s->head);
	size_t k;

	v->kind = (enum sync_kind)s->kind;
	v->name = s->name;
	v->value = atomic_load(&s->value);
	v->limit = s->limit;
	v->lock = s->lock;
	v->nwaiters = atomic_load(&s->nwaiters);
	/* Read without the mutex: a list changing under the walk must not
	 * lead it out of the records. */
	for (k = 0; k < v->nwaiters && k < max; k++) {
		if (slot < 0 || slot >= SHM_SLOTS)
			break;
		v->waiters[k] = slot;
		slot = atomic_load(&shm->waiters[slot].next);
	}
	for (; k < max; k++)
		v->waiters[k] = -1;
}

void
sync_queue_at(const struct shm *shm, int obj, size_t i, struct sync_value *v)
{
	const struct shm_sync *s = &shm->syncs[obj];
	uint64_t at = (atomic_load(&s->qhead) + i) % (uint64_t)s->limit;

	qcell_load(&shm->qcells[s->qfirst + at], v);
}

void
sync_set_order(struct shm *shm, bool seeded, uint64_t seed)
{
	take(shm);
	shm->sync_seeded = seeded;
	shm->sync_seed = shm->sync_prng = seed;
	give(shm);
}

void
sync_forget(struct shm *shm, uint32_t id, int slot)
{
	struct shm_waiter *w = &shm->waiters[slot];
	struct sync_effect spare;
	struct shm_sync *s;
	uint32_t obj;

	take(shm);
	if ((obj = atomic_load(&w->obj)) == 0) {
		give(shm);
		return;
	}
	s = &shm->syncs[obj - 1];
	effect_clear(NULL, &spare);
	if (atomic_load(&w->wake) == WAKE_ASLEEP) {
		unlink_waiter(shm, s, slot);
		if (s->kind == SYNC_BARRIER)
			atomic_fetch_sub(&s->value, 1);
	} else if (atomic_load(&w->op) == SOP_SEM_WAIT) {
		hand_unit(shm, s, &spare);
	} else if (atomic_load(&w->op) == SOP_COND_SLEEP) {
		hand_notify(shm, s, &spare);
	} else if (atomic_load(&w->op) == SOP_GET) {
		hand_back(shm, s, &w->hand, &spare); /* lost when full */
	}
	atomic_store(&w->obj, 0);
	/* A worker still asleep there wakes and finds it was forgotten. */
	atomic_store(&w->wake, WAKE_FORGOTTEN);
	futex_wake(&w->wake, 1);
	give(shm);
}

/* Takes every worker off every list; the caller holds the mutex. */
static void
forget_waiters(struct shm *shm)
{
	/* Only records below sync_slots were ever written: the rest of the
	 * array stays untouched (and unallocated). */
	for (uint32_t i = 0; i < shm->sync_slots; i++) {
		struct shm_waiter *w = &shm->waiters[i];
		atomic_store(&w->obj, 0);
		atomic_store(&w->wake, WAKE_ASLEEP);
		atomic_store(&w->next, -1);
		atomic_store(&w->notified, 0);
	}
}

void
sync_reset(struct shm *shm)
{
	take(shm);
	forget_waiters(shm);
	shm->sync_slots = 0;
	shm->qused = 0;
	shm->sync_prng = shm->sync_seed;
	atomic_store(&shm->nsyncs, 0);
	give(shm);
}

void
sync_save(const struct shm *shm, struct sync_saved *sv)
{
	sv->nsyncs = (uint32_t)count(shm);
	sv->qused = shm->qused;
	for (uint32_t i = 0; i < sv->nsyncs; i++) {
		const struct shm_sync *o = &shm->syncs[i];
		sv->value[i] = atomic_load(&o->value);
		sv->gen[i] = atomic_load(&o->gen);
		sv->qhead[i] = atomic_load(&o->qhead);
	}
	sv->cells = xcalloc(sv->qused + 1, sizeof *sv->cells);
	for (uint32_t i = 0; i < sv->qused; i++)
		qcell_copy(&sv->cells[i], &shm->qcells[i]);
	sv->prng = shm->sync_prng;
}

void
sync_restore(struct shm *shm, const struct sync_saved *sv)
{
	take(shm);
	forget_waiters(shm);
	for (uint32_t i = 0; i < sv->nsyncs; i++) {
		struct shm_sync *o = &shm->syncs[i];
		atomic_store(&o->value, sv->value[i]);
		atomic_store(&o->gen, sv->gen[i]);
		atomic_store(&o->qhead, sv->qhead[i]);
		atomic_store(&o->head, -1);
		atomic_store(&o->tail, -1);
		atomic_store(&o->nwaiters, 0);
	}
	for (uint32_t i = 0; i < sv->qused; i++)
		qcell_copy(&shm->qcells[i], &sv->cells[i]);
	shm->qused = sv->qused;
	shm->sync_prng = sv->prng;
	atomic_store(&shm->nsyncs, sv->nsyncs);
	give(shm);
}

void
sync_saved_free(struct sync_saved *sv)
{
	free(sv->cells);
	sv->cells = NULL;
}

void
sync_describe(const struct shm *shm, int obj, char *buf, size_t len)
{
	const struct shm_sync *o = &shm->syncs[obj];
	int64_t v = atomic_load(&o->value);

	switch ((enum sync_kind)o->kind) {
	case SYNC_SEMAPHORE:
		snprintf(buf, len, "semaphore %s (%lld)", o->name,
			 (long long)v);
		break;
	case SYNC_CONDITION:
		snprintf(buf, len, "condition %s (not notified)", o->name);
		break;
	case SYNC_BARRIER:
		snprintf(buf, len, "barrier %s (%lld of %lld arrived)", o->name,
			 (long long)v, (long long)o->limit);
		break;
	case SYNC_QUEUE:
		snprintf(buf, len, "queue %s (%s)", o->name,
			 v == 0 ? "empty" : v >= o->limit ? "full" : "neither");
		break;
	default: snprintf(buf, len, "%s", o->name); break;
	}
}
