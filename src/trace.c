/*
 * trace.c: the trace in memory (bounded: past TRACE_MAX_RECS events or
 * TRACE_MAX_TEXT bytes of text, the oldest are summed up per worker and
 * forgotten), and
 * its two pictures: `timeline`, columns of text, one per worker, as
 * OSTEP's simulators print threads; and `export`, Chrome trace-event
 * JSON with a track per worker, its life as a span, its output lines as
 * instant events, its lock waits and sleeps on objects as spans, and an
 * arrow from each wake to the end of the sleep it ended.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "worker.h"
#include "xmalloc.h"

static struct trace_sum *
sum_of(struct trace *t, uint32_t worker)
{
	for (size_t i = 0; i < t->nsums; i++)
		if (t->sums[i].worker == worker)
			return &t->sums[i];
	t->sums = xrealloc(t->sums, (t->nsums + 1) * sizeof *t->sums);
	t->sums[t->nsums] = (struct trace_sum){ .worker = worker };
	return &t->sums[t->nsums++];
}

/* Forgets the oldest quarter of the events, or more until LEN more bytes
 * of text fit: each is counted in its worker's summary. Copying the rest
 * down costs as much as the events forgotten, so a full trace still takes
 * an event in constant time, on average. */
static void
forget_oldest(struct trace *t, size_t len)
{
	size_t k = t->n / 4 > 0 ? t->n / 4 : t->n, off;

	while (k < t->n && t->text.len - t->v[k].off + len > TRACE_MAX_TEXT)
		k++;
	for (size_t i = 0; i < k; i++) {
		const struct trace_rec *r = &t->v[i];
		struct trace_sum *sum = sum_of(t, r->worker);
		if (r->type == EV_OUTPUT)
			sum->lines++;
		else
			sum->others++;
		if (r->type == EV_STARTED)
			sum->t_start = r->t_ns;
		t->sum_t_ns = r->t_ns;
		t->sum_step = r->step;
	}
	t->summarised += k;
	off = k < t->n ? t->v[k].off : t->text.len;
	memmove(t->v, t->v + k, (t->n - k) * sizeof *t->v);
	t->n -= k;
	for (size_t i = 0; i < t->n; i++)
		t->v[i].off -= off;
	memmove(t->text.data, t->text.data + off, t->text.len - off);
	t->text.len -= off;
}

void
trace_add(struct trace *t, uint32_t worker, const struct event *ev,
	  const char *text, size_t len)
{
	struct trace_rec *r;

	if (t->paused)
		return;
	if (len > TRACE_MAX_TEXT / 4) /* no single line takes it all */
		len = TRACE_MAX_TEXT / 4;
	if (t->n >= TRACE_MAX_RECS || t->text.len + len > TRACE_MAX_TEXT)
		forget_oldest(t, len);
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 256;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	r = &t->v[t->n++];
	r->type = ev->h.type;
	r->worker = worker;
	r->t_ns = ev->h.t_ns;
	r->step = ev->h.step;
	r->a = ev->h.a;
	r->b = ev->h.b;
	r->ticket = 0;
	if (ev->h.type == EV_SYNC_WOKE || ev->h.type == EV_SYNC_WAKE ||
	    ev->h.type == EV_SYNC_PASS) { /* the object, and a ticket */
		r->a = (int64_t)(uint32_t)ev->h.a;
		r->ticket = (uint32_t)((uint64_t)ev->h.a >> 32);
	}
	r->off = t->text.len;
	r->len = len;
	if (len > 0)
		buf_add(&t->text, text, len);
}

void
trace_clear(struct trace *t)
{
	free(t->v);
	free(t->sums);
	buf_free(&t->text);
	memset(t, 0, sizeof *t);
}

size_t
trace_ms(char *dst, uint64_t ns)
{
	char tmp[TRACE_MS_MAX], *p = tmp + sizeof tmp;
	uint64_t us = ns / 1000, ms = us / 1000;
	size_t n;

	/* By hand, not snprintf: the live tracer stamps every line. */
	for (int i = 0; i < 3; i++, us /= 10)
		*--p = (char)('0' + us % 10);
	*--p = '.';
	do {
		*--p = (char)('0' + ms % 10);
		ms /= 10;
	} while (ms > 0);
	while (tmp + sizeof tmp - p < TRACE_MS_WIDTH)
		*--p = ' ';
	n = (size_t)(tmp + sizeof tmp - p);
	memcpy(dst, p, n);
	dst[n] = '\0';
	return n;
}

/* A record's cell in the timeline. */
static void
cell(const struct trace *t, const struct trace_rec *r, struct buf *out)
{
	const char *text = t->text.data + r->off;

	switch (r->type) {
	case EV_OUTPUT:
		/* one line a cell: control characters as '?' */
		for (size_t i = 0; i < r->len; i++)
			buf_printf(out, "%c",
				   (unsigned char)text[i] < 0x20 ||
						   text[i] == 0x7f
					   ? '?'
					   : text[i]);
		break;
	case EV_STARTED: buf_puts(out, "started"); break;
	case EV_EXIT: buf_printf(out, "exit %lld", (long long)r->a); break;
	case EV_SIGNAL: buf_printf(out, "signal %lld", (long long)r->a); break;
	case EV_CANCEL: buf_puts(out, "cancelled"); break;
	case EV_FAIL: buf_puts(out, "failed"); break;
	case EV_JOINED: buf_puts(out, "joined"); break;
	case EV_STOPPED:
		buf_printf(out, "stopped %lld", (long long)r->a);
		break;
	case EV_CONTINUED: buf_puts(out, "continued"); break;
	case EV_IGNORED:
		buf_printf(out, "ignored %lld", (long long)r->a);
		break;
	case EV_LOCK_WAIT: {
		/* "waits for m2 (held by t1)": the holder has its column */
		const char *paren = memchr(text, '(', r->len);
		size_t n = paren && paren > text ? (size_t)(paren - text) - 1
						 : r->len;
		buf_add(out, text, n);
		break;
	}
	case EV_LOCK_GOT: buf_puts(out, "got the lock"); break;
	case EV_SYNC_WAIT: /* "waits on semaphore s" */
	case EV_SYNC_WAKE: /* "signal s wakes t2", "notify c wakes nobody" */
		buf_add(out, text, r->len);
		break;
	case EV_SYNC_WOKE: /* kept with its object's name */
		buf_puts(out, "woke (");
		buf_add(out, text, r->len);
		buf_puts(out, ")");
		break;
	case EV_SYNC_PASS: /* kept with its queue's name */
		buf_puts(out, r->b != 0 ? "get " : "put ");
		buf_add(out, text, r->len);
		break;
	default: buf_puts(out, "?"); break;
	}
}

/* Tickets (sync.h) tie a wake to the wake-ups it caused, and a value put
 * into a queue to the get that took it, whatever order their records came
 * in. */

/* A record (its index K) that ends something, by its ticket. */
struct tick {
	uint32_t ticket;
	size_t k;
};

static int
tick_cmp(const void *a, const void *b)
{
	const struct tick *x = a, *y = b;

	return x->ticket < y->ticket ? -1 : x->ticket > y->ticket;
}

/* Is R a get's record of a value that came out of a queue? */
static bool
is_take(const struct trace_rec *r)
{
	return r->type == EV_SYNC_PASS && r->b != 0;
}

/* The record among the N of ENDS with TICKET (its index + 1), or 0. */
static size_t
ended(const struct tick *ends, size_t n, uint32_t ticket)
{
	struct tick key = { ticket, 0 };
	const struct tick *hit =
		ticket == 0 ? NULL
			    : bsearch(&key, ends, n, sizeof *ends, tick_cmp);

	return hit != NULL ? hit->k + 1 : 0;
}

/* A put told at K whose value was taken at J before: its putter slept,
 * and a get made room for the value while it did. The put began at that
 * sleep (its record, index + 1), told before J; 0 if the trace forgot. */
static size_t
put_began(const struct trace *t, size_t k, size_t j)
{
	for (size_t m = k; m-- > 0;) {
		const struct trace_rec *r = &t->v[m];
		if (r->worker != t->v[k].worker)
			continue;
		if (r->type == EV_SYNC_WAIT && r->a == t->v[k].a)
			return m < j ? m + 1 : 0;
		if (r->type != EV_SYNC_WOKE)
			return 0;
	}
	return 0;
}

/* Returns, for each record of T, the one it answers (its index + 1), else
 * 0: for a wake-up, the wake that ended its sleep; for a get that took a
 * value from a queue, the put that put it there (or, when that put's
 * putter slept until a get made room and told it after the value was
 * taken, the beginning of its sleep). A record the trace forgot answers
 * nothing. */
static size_t *
match_wakes(const struct trace *t)
{
	size_t *by = xcalloc(t->n + 1, sizeof *by), n = 0, j;
	struct tick *ends = xcalloc(t->n + 1, sizeof *ends);

	for (size_t k = 0; k < t->n; k++)
		if (t->v[k].ticket != 0 &&
		    (t->v[k].type == EV_SYNC_WOKE || is_take(&t->v[k])))
			ends[n++] = (struct tick){ t->v[k].ticket, k };
	qsort(ends, n, sizeof *ends, tick_cmp);
	for (size_t k = 0; k < t->n; k++) {
		const struct trace_rec *r = &t->v[k];
		if (r->type == EV_SYNC_WAKE) {
			uint32_t woke = (uint32_t)((uint64_t)r->b >> 32);
			for (uint32_t i = 0; i < woke; i++)
				if ((j = ended(ends, n, r->ticket + i)) != 0 &&
				    t->v[j - 1].type == EV_SYNC_WOKE)
					by[j - 1] = k + 1;
		} else if (r->type == EV_SYNC_PASS && !is_take(r) &&
			   (j = ended(ends, n, r->ticket)) != 0 &&
			   is_take(&t->v[j - 1])) {
			by[j - 1] = j > k + 1 ? k + 1 : put_began(t, k, j - 1);
		}
	}
	free(ends);
	return by;
}

#define LEFT_WIDTH (TRACE_MS_WIDTH + 1) /* "      4.101 " */
#define COL_MIN 6
#define COL_MAX 24

static bool
wanted(const struct timeline_opts *o, uint32_t id)
{
	if (o->nonly == 0)
		return true;
	for (size_t i = 0; i < o->nonly; i++)
		if (o->only[i] == id)
			return true;
	return false;
}

static void
left(const struct timeline_opts *o, const struct trace_rec *r, struct buf *out)
{
	if (o->steps) {
		char step[24];
		snprintf(step, sizeof step, "#%04llu",
			 (unsigned long long)r->step);
		buf_printf(out, "%*s ", LEFT_WIDTH - 1, step);
		return;
	}
	char ms[TRACE_MS_MAX];
	size_t n = trace_ms(ms, r->t_ns > o->t0 ? r->t_ns - o->t0 : 0);
	buf_add(out, ms, n);
	buf_puts(out, " ");
}

/* Says what the forgotten events were, before the events kept. */
static void
summary(const struct trace *t, const struct registry *r,
	const struct timeline_opts *o, struct buf *out)
{
	uint64_t d = t->sum_t_ns > o->t0 ? t->sum_t_ns - o->t0 : 0;
	char ms[TRACE_MS_MAX];

	if (t->summarised == 0)
		return;
	buf_printf(out, "(%" PRIu64 " earlier events, up to ", t->summarised);
	if (o->steps) {
		buf_printf(out, "step #%04" PRIu64, t->sum_step);
	} else {
		trace_ms(ms, d);
		buf_printf(out, "%s ms", ms + strspn(ms, " "));
	}
	buf_puts(out, ", are summed up: the trace keeps the latest)\n");
	struct trace_sum gone = { 0 };
	for (size_t i = 0; i < t->nsums; i++) {
		const struct trace_sum *sum = &t->sums[i];
		const struct worker *w = registry_by_id(r, sum->worker);
		const char *sep = "";
		if (sum->worker != TRACE_SESSION && !wanted(o, sum->worker))
			continue;
		if (w == NULL && sum->worker != TRACE_SESSION) {
			/* Joined long ago and forgotten: counted together. */
			gone.worker++;
			gone.lines += sum->lines;
			gone.others += sum->others;
			continue;
		}
		buf_printf(out, "  %s:", w != NULL ? w->name : "main");
		if (sum->t_start != 0) {
			buf_puts(out, " started");
			sep = ",";
		}
		if (sum->lines > 0) {
			buf_printf(out, "%s %" PRIu64 " line%s", sep,
				   sum->lines, sum->lines == 1 ? "" : "s");
			sep = ",";
		}
		uint64_t others = sum->others - (sum->t_start != 0);
		if (others > 0)
			buf_printf(out, "%s %" PRIu64 " other event%s", sep,
				   others, others == 1 ? "" : "s");
		buf_puts(out, "\n");
	}
	if (gone.worker > 0)
		buf_printf(out,
			   "  %" PRIu32 " joined workers no longer kept: %" PRIu64
			   " lines, %" PRIu64 " other events\n",
			   gone.worker, gone.lines, gone.others);
}

/* A wake-up shown after its wake, in the timeline. */
struct moved {
	size_t wake, woke; /* their indexes */
	uint32_t worker;   /* the woken */
};

/* Orders moved wake-ups by wake, then by worker. */
static int
moved_cmp(const void *a, const void *b)
{
	const struct moved *x = a, *y = b;

	if (x->wake != y->wake)
		return x->wake < y->wake ? -1 : 1;
	return x->worker < y->worker ? -1 : x->worker > y->worker;
}

/* Did worker U do anything between records I and J of T (either first)? */
static bool
busy_between(const struct trace *t, uint32_t u, size_t i, size_t j)
{
	for (size_t m = (i < j ? i : j) + 1; m < (i < j ? j : i); m++)
		if (t->v[m].worker == u)
			return true;
	return false;
}

/* Returns the order the timeline shows the records of T in (T->n
 * indexes): theirs, but that a wake-up the trace tells the wake of, told
 * before it, goes right after it (the woken worker's record and the
 * waker's race), unless its worker did something in between; by STEPS,
 * one told after it too (a seed leaves them in either order, and the
 * wake-up may be stamped with a later step), with the others that wake
 * woke, by worker. *AT gets, by record, that wake's index + 1 for a
 * wake-up moved, else 0. */
static size_t *
show_order(const struct trace *t, bool steps, size_t **at)
{
	size_t *by = match_wakes(t), *order = xcalloc(t->n + 1, sizeof *order);
	struct moved *mv = xcalloc(t->n + 1, sizeof *mv);
	size_t nmv = 0, x = 0, m = 0;

	for (size_t j = 0; j < t->n; j++) {
		if (by[j] == 0)
			continue;
		if (t->v[j].type != EV_SYNC_WOKE || (!steps && j > by[j] - 1) ||
		    busy_between(t, t->v[j].worker, j, by[j] - 1)) {
			by[j] = 0;
			continue;
		}
		mv[nmv++] = (struct moved){ .wake = by[j] - 1,
					    .woke = j,
					    .worker = t->v[j].worker };
	}
	qsort(mv, nmv, sizeof *mv, moved_cmp);
	for (size_t i = 0; i < t->n; i++) {
		if (by[i] == 0)
			order[x++] = i;
		while (m < nmv && mv[m].wake == i)
			order[x++] = mv[m++].woke;
	}
	free(mv);
	*at = by;
	return order;
}

void
trace_timeline(const struct trace *t, const struct registry *r,
	       const struct timeline_opts *o, struct buf *out)
{
	size_t n = 0, *at, *order = show_order(t, o->steps, &at);
	const struct worker **cols = xcalloc(r->n + 1, sizeof *cols);
	int *width = xcalloc(r->n + 1, sizeof *width);
	struct buf c = { 0 };

	/* The columns: workers with events, in spawn order. */
	for (size_t i = 0; i < r->n; i++) {
		const struct worker *w = r->v[i];
		bool any = false;
		if (!wanted(o, w->id))
			continue;
		for (size_t k = 0; !any && k < t->n; k++)
			any = t->v[k].worker == w->id;
		if (!any)
			continue;
		int wd = (int)strlen(w->name);
		for (size_t k = 0; k < t->n; k++) {
			if (t->v[k].worker != w->id ||
			    t->v[k].type == EV_SYNC_PASS)
				continue;
			buf_reset(&c);
			cell(t, &t->v[k], &c);
			wd = (int)c.len > wd ? (int)c.len : wd;
		}
		width[n] = wd < COL_MIN ? COL_MIN : wd > COL_MAX ? COL_MAX : wd;
		cols[n++] = w;
	}
	summary(t, r, o, out);
	if (n == 0)
		buf_puts(out, "(nothing traced yet)\n");
	/* As many columns as fit a block; more workers, more blocks. */
	for (size_t first = 0; first < n;) {
		size_t last = first;
		int used = LEFT_WIDTH + width[first];
		while (last + 1 < n && used + 2 + width[last + 1] <=
					       (o->width > 0 ? o->width : 80))
			used += 2 + width[++last];
		if (first > 0)
			buf_puts(out, "\n");
		buf_printf(out, "%*s", LEFT_WIDTH, "");
		for (size_t j = first; j <= last; j++)
			buf_printf(out, "%s%-*.*s", j > first ? "  " : "",
				   j < last ? width[j] : 0, width[j],
				   cols[j]->name);
		buf_puts(out, "\n");
		for (size_t row = 0; row < t->n; row++) {
			size_t k = order[row];
			const struct trace_rec *rec = &t->v[k];
			struct trace_rec shown = *rec;
			size_t j = first;
			if (rec->type == EV_SYNC_PASS) /* export's only */
				continue;
			if (at[k] != 0) {
				/* a wake-up moved: no earlier than its wake */
				const struct trace_rec *wk = &t->v[at[k] - 1];
				shown.step = wk->step;
				if (shown.t_ns < wk->t_ns)
					shown.t_ns = wk->t_ns;
			}
			if (rec->worker == TRACE_SESSION) {
				if (first > 0 || o->nonly > 0)
					continue;
				left(o, rec, out);
				buf_add(out, t->text.data + rec->off, rec->len);
				buf_puts(out, "\n");
				continue;
			}
			while (j <= last && cols[j]->id != rec->worker)
				j++;
			if (j > last)
				continue;
			left(o, &shown, out);
			for (size_t x = first; x < j; x++)
				buf_printf(out, "%*s  ", width[x], "");
			buf_reset(&c);
			cell(t, rec, &c);
			if ((int)c.len > width[j]) {
				c.len = (size_t)width[j] - 1;
				buf_puts(&c, "~");
			}
			buf_printf(out, "%s\n", buf_str(&c));
		}
		first = last + 1;
	}
	buf_free(&c);
	free(cols);
	free(width);
	free(order);
	free(at);
}

/* JSON */

/* The length of the UTF-8 sequence at P (up to END), or 0 if invalid. */
static size_t
utf8_len(const unsigned char *p, const unsigned char *end)
{
	size_t n;
	unsigned min;
	unsigned cp;

	if (*p < 0x80)
		return 1;
	if ((*p & 0xe0) == 0xc0)
		n = 2, min = 0x80, cp = *p & 0x1f;
	else if ((*p & 0xf0) == 0xe0)
		n = 3, min = 0x800, cp = *p & 0x0f;
	else if ((*p & 0xf8) == 0xf0)
		n = 4, min = 0x10000, cp = *p & 0x07;
	else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void
json_string(const char *text, size_t len, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + len;

	buf_puts(out, "\"");
	while (p < end) {
		size_t n = utf8_len(p, end);
		if (n == 0) {
			buf_puts(out, "\\ufffd");
			p++;
		} else if (n > 1) {
			buf_add(out, (const char *)p, n);
			p += n;
		} else if (*p == '"' || *p == '\\') {
			buf_printf(out, "\\%c", *p++);
		} else if (*p < 0x20 || *p == 0x7f) {
			buf_printf(out, "\\u%04x", *p++);
		} else {
			buf_add(out, (const char *)p++, 1);
		}
	}
	buf_puts(out, "\"");
}

/* The Perfetto track of W: threads in weft's process, a process in one of
 * its own (ids of our own, so an export does not depend on the run). */
static void
track(const struct worker *w, unsigned *pid, unsigned *tid)
{
	*pid = w->kind == WORKER_PROCESS ? 2 + w->id : 1;
	*tid = 2 + w->id;
}

static void
us(uint64_t t_ns, uint64_t t0, struct buf *out)
{
	uint64_t d = t_ns > t0 ? t_ns - t0 : 0;

	buf_printf(out, "%" PRIu64 ".%03" PRIu64, d / 1000, d % 1000);
}

/* One event: PH, NAME, on W's track (the session's when NULL), at T. */
static void
begin_event(struct buf *b, const char *ph, const char *name,
	    const struct worker *w, uint64_t t_ns, uint64_t t0)
{
	unsigned pid = 1, tid = 1;

	if (w != NULL)
		track(w, &pid, &tid);
	buf_printf(b, ",\n{\"ph\":\"%s\",\"name\":", ph);
	json_string(name, strlen(name), b);
	buf_printf(b, ",\"pid\":%u,\"tid\":%u,\"ts\":", pid, tid);
	us(t_ns, t0, b);
}

/* The first events: weft's process and its main thread, named. */
static void
export_head(struct buf *b)
{
	buf_puts(b, "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n"
		    "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,"
		    "\"tid\":1,\"args\":{\"name\":\"weft\"}}");
	buf_puts(b, ",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,"
		    "\"tid\":1,\"args\":{\"name\":\"main\"}}");
}

/* The events that name W's track, and its process for a process. */
static void
export_names(const struct worker *w, struct buf *b)
{
	unsigned pid, tid;

	track(w, &pid, &tid);
	if (w->kind == WORKER_PROCESS) {
		buf_printf(b,
			   ",\n{\"ph\":\"M\",\"name\":\"process_name\","
			   "\"pid\":%u,\"tid\":%u,\"args\":{\"name\":",
			   pid, tid);
		json_string(w->name, strlen(w->name), b);
		buf_puts(b, "}}");
	}
	buf_printf(b,
		   ",\n{\"ph\":\"M\",\"name\":\"thread_name\","
		   "\"pid\":%u,\"tid\":%u,\"args\":{\"name\":",
		   pid, tid);
	json_string(w->name, strlen(w->name), b);
	buf_puts(b, "}}");
}

/* Returns when W's life began by the trace (its "started", kept or summed
 * up; 0: the trace has none), with *END its last event but a join (or the
 * last summed up, when none is kept). */
static uint64_t
life_of(const struct trace *t, const struct worker *w, uint64_t *end)
{
	uint64_t start = 0;

	*end = 0;
	for (size_t k = 0; k < t->n; k++) {
		const struct trace_rec *rec = &t->v[k];
		if (rec->worker != w->id)
			continue;
		if (rec->type == EV_STARTED && start == 0)
			start = rec->t_ns;
		if (rec->type != EV_JOINED)
			*end = rec->t_ns;
	}
	for (size_t k = 0; start == 0 && k < t->nsums; k++)
		if (t->sums[k].worker == w->id)
			start = t->sums[k].t_start;
	if (start != 0 && *end < start)
		*end = t->sum_t_ns;
	return start;
}

/* W's track: its names, and its life as a span, from "started" to its end
 * (or its last event). */
static void
export_worker(const struct trace *t, const struct worker *w, uint64_t t0,
	      struct buf *b)
{
	uint64_t start, end;

	export_names(w, b);
	if ((start = life_of(t, w, &end)) == 0)
		return;
	begin_event(b, "X", w->name, w, start, t0);
	buf_puts(b, ",\"dur\":");
	us(end - start + t0, t0, b);
	buf_printf(b, ",\"args\":{\"kind\":\"%s\"}}",
		   worker_kind_name(w->kind));
}

/* Returns when the wait of record K ends: at its worker's next event (in a
 * mutex, "got the lock", or its end), or at once when there is none. */
static uint64_t
wait_end(const struct trace *t, size_t k)
{
	for (size_t m = k + 1; m < t->n; m++)
		if (t->v[m].worker == t->v[k].worker)
			return t->v[m].t_ns;
	return t->v[k].t_ns;
}

/* Returns when the sleep that record K (EV_SYNC_WAIT) begins ends: at its
 * worker's next event but a stop, a continue or a signal ignored, which
 * leave it asleep, when that is its wake-up or its end (killed asleep);
 * at once when it is anything else (what it waited for came before it
 * slept: it never did) or there is none yet. */
static uint64_t
sleep_end(const struct trace *t, size_t k)
{
	for (size_t m = k + 1; m < t->n; m++) {
		const struct trace_rec *r = &t->v[m];
		if (r->worker != t->v[k].worker || r->type == EV_STOPPED ||
		    r->type == EV_CONTINUED || r->type == EV_IGNORED)
			continue;
		if (r->type == EV_SYNC_WOKE || r->type == EV_EXIT ||
		    r->type == EV_SIGNAL || r->type == EV_CANCEL ||
		    r->type == EV_FAIL)
			return r->t_ns;
		break;
	}
	return t->v[k].t_ns;
}

/* A wait of W, from the record REC to END, as a span named NAME, with the
 * record's text as what it waited for. */
static void
wait_span(const struct trace *t, const struct trace_rec *rec, uint64_t end,
	  const char *name, const struct worker *w, uint64_t t0, struct buf *b)
{
	begin_event(b, "X", name, w, rec->t_ns, t0);
	buf_puts(b, ",\"dur\":");
	us(end > rec->t_ns ? end - rec->t_ns + t0 : t0, t0, b);
	buf_puts(b, ",\"args\":{\"what\":");
	json_string(t->text.data + rec->off, rec->len, b);
	buf_puts(b, "}}");
}

/* Record K, of W (NULL: a note of the session, a deadlock), as an event:
 * an output line, a lock wait's or a sleep's span, or what happened to W,
 * named as in its timeline cell (made in C). */
static void
export_rec(const struct trace *t, size_t k, const struct worker *w, uint64_t t0,
	   struct buf *b, struct buf *c)
{
	const struct trace_rec *rec = &t->v[k];
	const char *text = t->text.data + rec->off;

	if (rec->type == EV_OUTPUT) {
		begin_event(b, "i", "output", w, rec->t_ns, t0);
		buf_puts(b, ",\"s\":\"t\",\"args\":{\"text\":");
		json_string(text, rec->len, b);
		buf_puts(b, "}}");
	} else if (rec->type == EV_LOCK_WAIT && w != NULL) {
		wait_span(t, rec, wait_end(t, k), "lock wait", w, t0, b);
	} else if (rec->type == EV_SYNC_WAIT && w != NULL) {
		wait_span(t, rec, sleep_end(t, k), "sync wait", w, t0, b);
	} else if (rec->type == EV_SYNC_PASS && w != NULL) {
		/* a slice, if of no length, for an arrow to end in */
		buf_reset(c);
		cell(t, rec, c);
		begin_event(b, "X", buf_str(c), w, rec->t_ns, t0);
		buf_puts(b, ",\"dur\":0}");
	} else if (w == NULL) {
		begin_event(b, "i", "deadlock", NULL, rec->t_ns, t0);
		buf_puts(b, ",\"s\":\"t\",\"args\":{\"text\":");
		json_string(text, rec->len, b);
		buf_puts(b, "}}");
	} else {
		buf_reset(c);
		cell(t, rec, c);
		begin_event(b, "i", buf_str(c), w, rec->t_ns, t0);
		buf_puts(b, ",\"s\":\"t\"}");
	}
}

/* The arrow from the wake at K, of W, to the wake-up at J, of V, that
 * ended V's sleep (or from a put to the get that took its value): flow
 * events named as the wake (the put), on both tracks (the end bound to
 * the slice it ends, the sleep's span, or the get's), with an id of
 * J's. */
static void
export_flow(const struct trace *t, size_t k, const struct worker *w, size_t j,
	    const struct worker *v, uint64_t t0, struct buf *b, struct buf *c)
{
	const struct trace_rec *wake = &t->v[k], *woke = &t->v[j];

	buf_reset(c);
	if (wake->type == EV_SYNC_PASS) {
		cell(t, wake, c); /* "put q" */
	} else if (wake->type == EV_SYNC_WAIT) { /* "waits on queue q" */
		const char *text = t->text.data + wake->off;
		const char *sp = memrchr(text, ' ', wake->len);
		size_t at = sp != NULL ? (size_t)(sp - text) + 1 : 0;
		buf_puts(c, "put ");
		buf_add(c, text + at, wake->len - at);
	} else {
		buf_add(c, t->text.data + wake->off, wake->len);
	}
	begin_event(b, "s", buf_str(c), w, wake->t_ns, t0);
	buf_printf(b, ",\"cat\":\"sync\",\"id\":%zu}", j + 1);
	begin_event(b, "f", buf_str(c), v, woke->t_ns, t0);
	buf_printf(b, ",\"cat\":\"sync\",\"id\":%zu,\"bp\":\"e\"}", j + 1);
}

/* Every record kept, of the session or of a worker still in R, but the
 * ends of waits and sleeps (their spans say them); a wake-up the trace
 * tells the wake of is an arrow from that wake. */
static void
export_recs(const struct trace *t, const struct registry *r, uint64_t t0,
	    struct buf *b)
{
	struct buf c = { 0 };
	size_t *by = match_wakes(t);

	for (size_t k = 0; k < t->n; k++) {
		const struct trace_rec *rec = &t->v[k];
		const struct worker *w =
			rec->worker == TRACE_SESSION
				? NULL
				: registry_by_id(r, rec->worker);
		const struct worker *waker =
			by[k] != 0 ? registry_by_id(r, t->v[by[k] - 1].worker)
				   : NULL;
		if (w == NULL && rec->worker != TRACE_SESSION)
			continue;
		if ((rec->type == EV_SYNC_WOKE || is_take(rec)) &&
		    waker != NULL)
			export_flow(t, by[k] - 1, waker, k, w, t0, b, &c);
		if (rec->type == EV_LOCK_GOT || rec->type == EV_SYNC_WOKE)
			continue; /* the end of a wait's span */
		export_rec(t, k, w, t0, b, &c);
	}
	buf_free(&c);
	free(by);
}

/* The events forgotten to keep the trace bounded, as one, if any. */
static void
export_summary(const struct trace *t, uint64_t t0, struct buf *b)
{
	if (t->summarised == 0)
		return;
	begin_event(b, "i", "earlier events summed up", NULL, t->sum_t_ns, t0);
	buf_printf(b, ",\"s\":\"g\",\"args\":{\"events\":%" PRIu64 "}}",
		   t->summarised);
}

int
trace_export(const struct trace *t, const struct registry *r, uint64_t t0,
	     FILE *f)
{
	struct buf b = { 0 };
	size_t wrote;
	int st;

	export_head(&b);
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i]->state != WS_NEW)
			export_worker(t, r->v[i], t0, &b);
	export_recs(t, r, t0, &b);
	export_summary(t, t0, &b);
	buf_puts(&b, "\n]}\n");
	wrote = fwrite(b.data, 1, b.len, f);
	st = wrote == b.len && fflush(f) == 0 ? 0 : -1;
	buf_free(&b);
	return st;
}
