/*
 * check_trace.c: unit tests of the trace kept in memory. Up to its bounds
 * it keeps every event; past them it forgets the oldest, sums them up per
 * worker (lines, other events, when it started), keeps the latest events
 * with their text intact, and says so in the timeline and the export.
 * Its times read as milliseconds to the microsecond, in a fixed width, so
 * that the lines of a burst tell apart and columns align.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "trace.h"
#include "worker.h"
#include "xmalloc.h"

/* Two workers, a (id 1) and b (id 2), as the registry holds them. */
static struct worker wa, wb;
static struct worker *wv[2] = { &wa, &wb };
static struct registry reg = { .v = wv, .n = 2, .cap = 2 };

static void
setup(void)
{
	memset(&wa, 0, sizeof wa);
	memset(&wb, 0, sizeof wb);
	wa.id = 1;
	wb.id = 2;
	strcpy(wa.name, "a");
	strcpy(wb.name, "b");
	wa.state = wb.state = WS_RUNNING;
	wa.kind = WORKER_THREAD;
	wb.kind = WORKER_PROCESS;
	wb.slot = 1;
}

static void
add(struct trace *t, uint32_t worker, uint16_t type, uint64_t ns,
    const char *text)
{
	struct event ev = { .h = { .type = type, .t_ns = ns } };

	trace_add(t, worker, &ev, text, text ? strlen(text) : 0);
}

START_TEST(test_keeps_everything_below_bounds)
{
	struct trace t = { 0 };
	char line[32];

	add(&t, 1, EV_STARTED, 1, NULL);
	for (int i = 0; i < 1000; i++) {
		snprintf(line, sizeof line, "line %d", i);
		add(&t, 1, EV_OUTPUT, 2 + (uint64_t)i, line);
	}
	ck_assert_uint_eq(t.n, 1001);
	ck_assert_uint_eq(t.summarised, 0);
	ck_assert_uint_eq(t.nsums, 0);
	ck_assert_uint_eq(t.v[0].type, EV_STARTED);
	ck_assert(memcmp(t.text.data + t.v[1000].off, "line 999", 8) == 0);
	trace_clear(&t);
}
END_TEST

/* Two and a half times the bound: the latest are kept, in order, with
 * their text; the rest are counted against their workers. */
START_TEST(test_forgets_oldest_and_sums_them_up)
{
	const uint64_t total = TRACE_MAX_RECS * 5 / 2;
	struct trace t = { 0 };
	uint64_t lines[3] = { 0 };
	char line[32];

	add(&t, 1, EV_STARTED, 1, NULL);
	add(&t, 2, EV_STARTED, 2, NULL);
	for (uint64_t i = 2; i < total; i++) {
		uint32_t w = 1 + (uint32_t)(i % 2);
		snprintf(line, sizeof line, "%c %llu", w == 1 ? 'a' : 'b',
			 (unsigned long long)i);
		add(&t, w, EV_OUTPUT, 1 + i, line);
	}
	ck_assert_uint_le(t.n, TRACE_MAX_RECS);
	ck_assert_uint_ge(t.n, TRACE_MAX_RECS / 2);
	ck_assert_uint_eq(t.summarised + t.n, total);
	/* Kept: exactly the latest, each with its own text. */
	for (size_t k = 0; k < t.n; k++) {
		uint64_t i = total - t.n + k;
		snprintf(line, sizeof line, "%c %llu", i % 2 ? 'b' : 'a',
			 (unsigned long long)i);
		ck_assert_uint_eq(t.v[k].t_ns, 1 + i);
		ck_assert_uint_eq(t.v[k].len, strlen(line));
		ck_assert(memcmp(t.text.data + t.v[k].off, line, t.v[k].len) ==
			  0);
	}
	/* Summed up: both starts and every line not kept. */
	ck_assert_uint_eq(t.nsums, 2);
	for (size_t i = 0; i < t.nsums; i++) {
		ck_assert_uint_eq(t.sums[i].t_start, t.sums[i].worker);
		ck_assert_uint_eq(t.sums[i].others, 1);
		lines[t.sums[i].worker] = t.sums[i].lines;
	}
	ck_assert_uint_eq(lines[1] + lines[2] + 2, t.summarised);
	ck_assert_uint_eq(t.sum_t_ns, t.v[0].t_ns - 1);
	trace_clear(&t);
}
END_TEST

/* Long lines reach the text bound before the count bound. */
START_TEST(test_text_bound)
{
	static char big[64 * 1024];
	struct trace t = { 0 };

	memset(big, 'x', sizeof big - 1);
	for (int i = 0; i < 1000; i++) {
		big[0] = (char)('a' + i % 26);
		add(&t, 1, EV_OUTPUT, 1 + (uint64_t)i, big);
		ck_assert_uint_le(t.text.len, TRACE_MAX_TEXT);
	}
	ck_assert_uint_gt(t.summarised, 0);
	ck_assert_uint_eq(t.summarised + t.n, 1000);
	ck_assert_int_eq(t.text.data[t.v[t.n - 1].off], 'a' + 999 % 26);
	ck_assert_uint_eq(t.v[t.n - 1].off + t.v[t.n - 1].len, t.text.len);
	trace_clear(&t);
}
END_TEST

/* One text longer than a quarter of the text bound keeps that quarter. */
START_TEST(test_one_huge_line)
{
	size_t len = TRACE_MAX_TEXT / 4 + 10;
	char *huge = malloc(len + 1);
	struct trace t = { 0 };

	ck_assert_ptr_nonnull(huge);
	memset(huge, 'h', len);
	huge[len] = '\0';
	add(&t, 1, EV_OUTPUT, 1, "before");
	add(&t, 1, EV_OUTPUT, 2, huge);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.v[1].len, TRACE_MAX_TEXT / 4);
	ck_assert_uint_eq(t.text.len, strlen("before") + TRACE_MAX_TEXT / 4);
	free(huge);
	trace_clear(&t);
}
END_TEST

/* What a user reads: the timeline and the export say it. */
START_TEST(test_summary_is_told)
{
	struct timeline_opts o = { .width = 80 };
	struct trace t = { 0 };
	struct buf out = { 0 };
	char *json = NULL;
	size_t jlen = 0;
	FILE *f;

	add(&t, 1, EV_STARTED, 1000000, NULL);
	for (uint64_t i = 0; i < TRACE_MAX_RECS; i++)
		add(&t, 1, EV_OUTPUT, 2000000 + i, "x");
	add(&t, 2, EV_STARTED, 5000000000ull, NULL);
	trace_timeline(&t, &reg, &o, &out);
	ck_assert_msg(
		strstr(buf_str(&out),
		       "(50000 earlier events, up to 2.049 ms, are summed "
		       "up: the trace keeps the latest)\n  a: started, "
		       "49999 lines\n") == buf_str(&out),
		"timeline begins: %.200s", buf_str(&out));
	f = open_memstream(&json, &jlen);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(trace_export(&t, &reg, 0, f), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(json, "\"earlier events summed up\""));
	ck_assert_ptr_nonnull(strstr(json, "\"events\":50000"));
	/* a's life span still begins at its start, which was forgotten. */
	ck_assert_ptr_nonnull(strstr(json, "\"ph\":\"X\",\"name\":\"a\""));
	free(json);
	buf_free(&out);
	trace_clear(&t);
}
END_TEST

/* Nanoseconds since the session began, as the bracket and timeline read. */
START_TEST(test_time_format)
{
	char ms[TRACE_MS_MAX];

	ck_assert_uint_eq(trace_ms(ms, 0), TRACE_MS_WIDTH);
	ck_assert_str_eq(ms, "      0.000");
	trace_ms(ms, 999);
	ck_assert_str_eq(ms, "      0.000");
	trace_ms(ms, 412345);
	ck_assert_str_eq(ms, "      0.412");
	trace_ms(ms, 4101234567ull);
	ck_assert_str_eq(ms, "   4101.234");
	ck_assert_uint_eq(trace_ms(ms, 9999999999999ull), TRACE_MS_WIDTH);
	ck_assert_str_eq(ms, "9999999.999");
	/* Past some 2.7 hours it widens rather than loses digits. */
	trace_ms(ms, 10000000000000ull);
	ck_assert_str_eq(ms, "10000000.000");
	ck_assert_uint_lt(trace_ms(ms, UINT64_MAX), TRACE_MS_MAX);
	ck_assert_str_eq(ms, "18446744073709.551");
}
END_TEST

/* Renders an output line "1" of a at T_NS, with the session begun at 1 s. */
static const char *
line_at(const struct render_opts *ro, uint64_t t_ns, struct buf *out)
{
	struct event ev = {
		.h = { .type = EV_OUTPUT, .t_ns = t_ns, .step = 12 }
	};

	buf_reset(out);
	render_event(ro, 1000000000, &wa, &ev, "1", 1, out);
	return buf_str(out);
}

/* Two lines a microsecond apart differ; --no-time drops the bracket;
 * under a seed it is the step. */
START_TEST(test_bracket)
{
	struct render_opts ro = { .time = true };
	struct buf a = { 0 }, b = { 0 };

	ck_assert_str_eq(line_at(&ro, 1000412000, &a), "[      0.412] a | 1\n");
	ck_assert_str_eq(line_at(&ro, 1000413000, &b), "[      0.413] a | 1\n");
	ck_assert_str_eq(line_at(&ro, 1000000001, &a), "[      0.000] a | 1\n");
	ck_assert_str_eq(line_at(&ro, 5, &a), "[      0.000] a | 1\n");
	ro.steps = true;
	ck_assert_str_eq(line_at(&ro, 1000413000, &a), "[#0012] a | 1\n");
	ro.time = false;
	ck_assert_str_eq(line_at(&ro, 1000413000, &a), "a | 1\n");
	ro.steps = false;
	ck_assert_str_eq(line_at(&ro, 1000413000, &a), "a | 1\n");
	buf_free(&a);
	buf_free(&b);
}
END_TEST

/* A deadlock is bold red where colour is on, plain text where not. */
START_TEST(test_deadlock_stands_out)
{
	struct render_opts ro = { .color = true };
	struct event ev = { .h = { .type = EV_LOCK_WAIT } };
	struct buf out = { 0 };
	const char *text = "deadlock: a waits for m held by b";

	render_event(&ro, 0, NULL, &ev, text, strlen(text), &out);
	ck_assert_str_eq(buf_str(&out), "\033[1;31mdeadlock: a waits for m "
					"held by b\033[0m\n");
	buf_reset(&out);
	ro.color = false;
	render_event(&ro, 0, NULL, &ev, text, strlen(text), &out);
	ck_assert_str_eq(buf_str(&out), "deadlock: a waits for m held by b\n");
	buf_free(&out);
}
END_TEST

/* The timeline's left column is the same time, aligned with its header. */
START_TEST(test_timeline_times)
{
	struct timeline_opts o = { .width = 80, .t0 = 1000 };
	struct trace t = { 0 };
	struct buf out = { 0 };

	add(&t, 1, EV_OUTPUT, 1000 + 412345, "x");
	add(&t, 1, EV_OUTPUT, 1000 + 412999, "y");
	add(&t, 1, EV_OUTPUT, 1000 + 3601000000000ull, "z");
	trace_timeline(&t, &reg, &o, &out);
	ck_assert_str_eq(buf_str(&out), "            a\n"
					"      0.412 x\n"
					"      0.412 y\n"
					"3601000.000 z\n");
	buf_free(&out);
	trace_clear(&t);
}
END_TEST

/* A record of WORKER about object OBJ at NS, its step NS too; B as a wake
 * keeps it (WOKE). */
static void
add_sync(struct trace *t, uint32_t worker, uint16_t type, int64_t obj,
	 int64_t b, uint64_t ns, const char *text)
{
	struct event ev = {
		.h = { .type = type, .t_ns = ns, .step = ns, .a = obj, .b = b }
	};

	trace_add(t, worker, &ev, text, text ? strlen(text) : 0);
}

/* A wake's, a wake-up's or a pass's a: object OBJ, ticket TK. */
#define TK(obj, tk) ((int64_t)((uint64_t)(tk) << 32 | (uint64_t)(obj)))

/* A wake's b: it woke N, the first ID. */
#define WOKE(id, n) ((int64_t)((uint64_t)(n) << 32 | ((uint64_t)(id) + 1)))

/* T exported with R, as a string to free. */
static char *
export_of(const struct trace *t, const struct registry *r)
{
	char *json = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&json, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(trace_export(t, r, 0, f), 0);
	fclose(f);
	return json;
}

/* How many times NEEDLE is in HAY. */
static int
count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* A sleep is a span; the wake that ended it an arrow to its end, whether
 * the woken worker's wake-up was kept after the wake or (their records
 * race) before it; a wake of nobody is none; a sleep ended by a kill ends
 * at it, not at a stop. The timeline shows a wake-up after its wake, at
 * its step. */
START_TEST(test_wake_arrows)
{
	struct timeline_opts o = { .width = 80, .steps = true };
	struct trace t = { 0 };
	struct buf out = { 0 };
	char *json;

	add_sync(&t, 1, EV_SYNC_WAIT, 0, 0, 10, "waits on semaphore s");
	add_sync(&t, 2, EV_SYNC_WAKE, TK(0, 1), WOKE(1, 1), 20,
		 "signal s wakes a");
	add_sync(&t, 1, EV_SYNC_WOKE, TK(0, 1), 0, 30, "s");
	add_sync(&t, 1, EV_SYNC_WAIT, 0, 0, 40, "waits on semaphore s");
	add_sync(&t, 1, EV_SYNC_WOKE, TK(0, 2), 0, 50, "s");
	add_sync(&t, 2, EV_SYNC_WAKE, TK(0, 2), WOKE(1, 1), 55,
		 "signal s wakes a");
	add_sync(&t, 2, EV_SYNC_WAKE, 0, 0, 60, "signal s wakes nobody");
	add_sync(&t, 1, EV_SYNC_WAIT, 0, 0, 70, "waits on semaphore s");
	add_sync(&t, 1, EV_STOPPED, 19, 0, 80, NULL);
	add_sync(&t, 1, EV_SIGNAL, 9, 0, 90, NULL);
	json = export_of(&t, &reg);
	/* a is a thread (pid 1, tid 3), b a process (pid 4, tid 4) */
	ck_assert_ptr_nonnull(strstr(
		json,
		"{\"ph\":\"X\",\"name\":\"sync wait\",\"pid\":1,\"tid\":3,"
		"\"ts\":0.010,\"dur\":0.020,\"args\":{\"what\":\"waits "
		"on semaphore s\"}}"));
	ck_assert_ptr_nonnull(
		strstr(json, "\"tid\":3,\"ts\":0.040,\"dur\":0.010,"));
	ck_assert_ptr_nonnull(
		strstr(json, "\"tid\":3,\"ts\":0.070,\"dur\":0.020,"));
	ck_assert_ptr_nonnull(strstr(
		json, "{\"ph\":\"s\",\"name\":\"signal s wakes a\","
		      "\"pid\":4,\"tid\":4,\"ts\":0.020,\"cat\":\"sync\","
		      "\"id\":3}"));
	ck_assert_ptr_nonnull(strstr(
		json, "{\"ph\":\"f\",\"name\":\"signal s wakes a\","
		      "\"pid\":1,\"tid\":3,\"ts\":0.030,\"cat\":\"sync\","
		      "\"id\":3,\"bp\":\"e\"}"));
	ck_assert_ptr_nonnull(strstr(json, "\"tid\":4,\"ts\":0.055,\"cat\":"
					   "\"sync\",\"id\":5}"));
	ck_assert_ptr_nonnull(strstr(json, "\"tid\":3,\"ts\":0.050,\"cat\":"
					   "\"sync\",\"id\":5,\"bp\":\"e\"}"));
	ck_assert_int_eq(count_of(json, "\"ph\":\"s\""), 2);
	ck_assert_int_eq(count_of(json, "\"ph\":\"f\""), 2);
	free(json);
	trace_timeline(&t, &reg, &o, &out);
	ck_assert_str_eq(
		buf_str(&out),
		"            a                     b\n"
		"      #0010 waits on semaphore s\n"
		"      #0020                       signal s wakes a\n"
		"      #0020 woke (s)\n"
		"      #0040 waits on semaphore s\n"
		"      #0055                       signal s wakes a\n"
		"      #0055 woke (s)\n"
		"      #0060                       signal s wakes nobody\n"
		"      #0070 waits on semaphore s\n"
		"      #0080 stopped 19\n"
		"      #0090 signal 9\n");
	buf_free(&out);
	trace_clear(&t);
}
END_TEST

/* A wake told late, after the woken worker woke and slept again: the
 * arrow goes to the wake-up of the sleep it ended (the same ticket), not
 * the next one; a wake-up whose wake the trace does not keep has none.
 * A wait that never slept (what it waited for came first) spans
 * nothing. */
START_TEST(test_wake_told_late)
{
	struct timeline_opts o = { .width = 80, .steps = true };
	struct trace t = { 0 };
	struct buf out = { 0 };
	char *json;

	add_sync(&t, 2, EV_OUTPUT, 0, 0, 10, "x");
	add_sync(&t, 1, EV_SYNC_WAIT, 0, 0, 20, "waits on semaphore s");
	add_sync(&t, 1, EV_SYNC_WOKE, TK(0, 1), 0, 30, "s");
	add_sync(&t, 1, EV_SYNC_WAIT, 0, 0, 40, "waits on semaphore s");
	add_sync(&t, 2, EV_SYNC_WAKE, TK(0, 1), WOKE(1, 1), 50,
		 "signal s wakes a");
	add_sync(&t, 2, EV_SYNC_WAKE, TK(0, 2), WOKE(1, 1), 60,
		 "signal s wakes a");
	add_sync(&t, 1, EV_SYNC_WOKE, TK(0, 2), 0, 70, "s");
	/* a wake-up whose wake is not kept, then b does something */
	add_sync(&t, 1, EV_SYNC_WAIT, 0, 0, 80, "waits on semaphore s");
	add_sync(&t, 1, EV_SYNC_WOKE, TK(0, 3), 0, 90, "s");
	add_sync(&t, 2, EV_OUTPUT, 0, 0, 100, "y");
	add_sync(&t, 1, EV_SYNC_WAIT, 0, 0, 110, "waits on semaphore s");
	add_sync(&t, 2, EV_SYNC_WAKE, TK(0, 4), WOKE(1, 1), 120,
		 "signal s wakes a");
	add_sync(&t, 1, EV_SYNC_WOKE, TK(0, 4), 0, 130, "s");
	add_sync(&t, 1, EV_SYNC_WAIT, 0, 0, 140, "waits on semaphore s");
	add_sync(&t, 1, EV_OUTPUT, 0, 0, 150, "went on");
	json = export_of(&t, &reg);
	ck_assert_ptr_nonnull(strstr(json, "\"tid\":3,\"ts\":0.030,\"cat\":"
					   "\"sync\",\"id\":3,\"bp\":\"e\"}"));
	ck_assert_ptr_nonnull(strstr(json, "\"tid\":4,\"ts\":0.050,\"cat\":"
					   "\"sync\",\"id\":3}"));
	ck_assert_ptr_nonnull(strstr(json, "\"tid\":3,\"ts\":0.070,\"cat\":"
					   "\"sync\",\"id\":7,\"bp\":\"e\"}"));
	ck_assert_ptr_nonnull(strstr(json, "\"tid\":4,\"ts\":0.060,\"cat\":"
					   "\"sync\",\"id\":7}"));
	ck_assert_ptr_nonnull(strstr(json, "\"tid\":3,\"ts\":0.130,\"cat\":"
					   "\"sync\",\"id\":13,\"bp\":\"e\"}"));
	ck_assert_int_eq(count_of(json, "\"ph\":\"f\""), 3);
	ck_assert_ptr_nonnull(
		strstr(json, "\"tid\":3,\"ts\":0.140,\"dur\":0.000,"));
	free(json);
	/* The first wake-up stays where it is: a slept again after it. */
	trace_timeline(&t, &reg, &o, &out);
	ck_assert_ptr_nonnull(strstr(
		buf_str(&out), "      #0030 woke (s)\n"
			       "      #0040 waits on semaphore s\n"
			       "      #0050                       signal s "
			       "wakes a\n"
			       "      #0060                       signal s "
			       "wakes a\n"
			       "      #0060 woke (s)\n"));
	buf_free(&out);
	trace_clear(&t);
}
END_TEST

/* By time, a wake-up told after its wake stays where it is, and one told
 * before it goes after it, at its time; by step, both go right after it,
 * at its step. */
START_TEST(test_timeline_wake_order)
{
	struct timeline_opts o = { .width = 80 };
	struct trace t = { 0 };
	struct buf out = { 0 };

	add_sync(&t, 1, EV_SYNC_WAIT, 0, 0, 1000000, "waits on semaphore s");
	add_sync(&t, 2, EV_SYNC_WAKE, TK(0, 1), WOKE(1, 1), 3000000,
		 "signal s wakes a");
	add_sync(&t, 2, EV_OUTPUT, 0, 0, 4000000, "z");
	add_sync(&t, 1, EV_SYNC_WOKE, TK(0, 1), 0, 5000000, "s");
	add_sync(&t, 1, EV_SYNC_WAIT, 0, 0, 6000000, "waits on semaphore s");
	add_sync(&t, 1, EV_SYNC_WOKE, TK(0, 2), 0, 7000000, "s");
	add_sync(&t, 2, EV_SYNC_WAKE, TK(0, 2), WOKE(1, 1), 8000000,
		 "signal s wakes a");
	trace_timeline(&t, &reg, &o, &out);
	ck_assert_str_eq(buf_str(&out),
			 "            a                     b\n"
			 "      1.000 waits on semaphore s\n"
			 "      3.000                       signal s wakes a\n"
			 "      4.000                       z\n"
			 "      5.000 woke (s)\n"
			 "      6.000 waits on semaphore s\n"
			 "      8.000                       signal s wakes a\n"
			 "      8.000 woke (s)\n");
	buf_reset(&out);
	o.steps = true;
	trace_timeline(&t, &reg, &o, &out);
	ck_assert_str_eq(buf_str(&out),
			 "            a                     b\n"
			 "   #1000000 waits on semaphore s\n"
			 "   #3000000                       signal s wakes a\n"
			 "   #3000000 woke (s)\n"
			 "   #4000000                       z\n"
			 "   #6000000 waits on semaphore s\n"
			 "   #8000000                       signal s wakes a\n"
			 "   #8000000 woke (s)\n");
	buf_free(&out);
	trace_clear(&t);
}
END_TEST

/* A wake of several: an arrow to each wake-up it caused (its tickets
 * follow on), shown after it in the timeline by worker; one whose
 * wake-up the trace does not keep has none. */
START_TEST(test_wake_of_several)
{
	struct worker wc = { .id = 3,
			     .kind = WORKER_THREAD,
			     .state = WS_RUNNING };
	struct worker *v[3] = { &wa, &wb, &wc };
	struct registry r3 = { .v = v, .n = 3, .cap = 3 };
	struct timeline_opts o = { .width = 80, .steps = true };
	struct trace t = { 0 };
	struct buf out = { 0 };
	char *json;

	strcpy(wc.name, "c");
	add_sync(&t, 1, EV_SYNC_WAIT, 1, 0, 10, "waits on barrier b");
	add_sync(&t, 2, EV_SYNC_WAIT, 1, 0, 20, "waits on barrier b");
	add_sync(&t, 2, EV_SYNC_WOKE, TK(1, 2), 0, 30, "b");
	add_sync(&t, 3, EV_SYNC_WAKE, TK(1, 1), WOKE(1, 2), 35,
		 "wait b wakes 2");
	add_sync(&t, 1, EV_SYNC_WOKE, TK(1, 1), 0, 40, "b");
	/* woke 3, of whom 2 sleeps are kept */
	add_sync(&t, 1, EV_SYNC_WAIT, 2, 0, 50, "waits on condition c");
	add_sync(&t, 2, EV_SYNC_WAIT, 2, 0, 60, "waits on condition c");
	add_sync(&t, 3, EV_SYNC_WAKE, TK(2, 3), WOKE(2, 3), 70,
		 "notify_all c");
	add_sync(&t, 2, EV_SYNC_WOKE, TK(2, 3), 0, 80, "c");
	add_sync(&t, 1, EV_SYNC_WOKE, TK(2, 5), 0, 90, "c");
	json = export_of(&t, &r3);
	ck_assert_ptr_nonnull(strstr(json, "\"tid\":3,\"ts\":0.040,\"cat\":"
					   "\"sync\",\"id\":5,\"bp\":\"e\"}"));
	ck_assert_ptr_nonnull(strstr(json, "\"tid\":4,\"ts\":0.030,\"cat\":"
					   "\"sync\",\"id\":3,\"bp\":\"e\"}"));
	ck_assert_ptr_nonnull(strstr(json, "\"tid\":4,\"ts\":0.080,\"cat\":"
					   "\"sync\",\"id\":9,\"bp\":\"e\"}"));
	ck_assert_ptr_nonnull(strstr(json, "\"tid\":3,\"ts\":0.090,\"cat\":"
					   "\"sync\",\"id\":10,\"bp\":\"e\"}"));
	ck_assert_int_eq(count_of(json, "\"ph\":\"s\""), 4);
	ck_assert_int_eq(count_of(json, "\"ph\":\"f\""), 4);
	free(json);
	trace_timeline(&t, &r3, &o, &out);
	ck_assert_str_eq(
		buf_str(&out),
		"            a                     b                 "
		"    c\n"
		"      #0010 waits on barrier b\n"
		"      #0020                       waits on barrier b\n"
		"      #0035                                         "
		"    wait b wakes 2\n"
		"      #0035 woke (b)\n"
		"      #0035                       woke (b)\n"
		"      #0050 waits on condition c\n"
		"      #0060                       waits on condition "
		"c\n"
		"      #0070                                         "
		"    notify_all c\n"
		"      #0070 woke (c)\n"
		"      #0070                       woke (c)\n");
	buf_free(&out);
	trace_clear(&t);
}
END_TEST

/* A value through a queue: an arrow from the put to the get that took it
 * (by its ticket, not by the order of the records); when the putter slept
 * on a full queue and told its put after the value was taken, from the
 * start of that sleep. Puts and gets are slices in the export, not lines
 * of the timeline. */
START_TEST(test_value_arrows)
{
	struct timeline_opts o = { .width = 80, .steps = true };
	struct trace t = { 0 };
	struct buf out = { 0 };
	char *json;

	add_sync(&t, 2, EV_SYNC_PASS, TK(0, 7), 0, 10, "q");
	add_sync(&t, 2, EV_SYNC_PASS, TK(0, 8), 0, 15, "q");
	add_sync(&t, 1, EV_SYNC_PASS, TK(0, 8), 1, 20, "q"); /* not 7's */
	add_sync(&t, 2, EV_SYNC_WAIT, 0, 0, 30, "waits on queue q");
	add_sync(&t, 1, EV_SYNC_PASS, TK(0, 9), 1, 40, "q");
	add_sync(&t, 1, EV_SYNC_WAKE, TK(0, 10), WOKE(2, 1), 45,
		 "get q wakes b");
	add_sync(&t, 2, EV_SYNC_WOKE, TK(0, 10), 0, 50, "q");
	add_sync(&t, 2, EV_SYNC_PASS, TK(0, 9), 0, 55, "q");
	json = export_of(&t, &reg);
	ck_assert_ptr_nonnull(strstr(
		json, "{\"ph\":\"X\",\"name\":\"put q\",\"pid\":4,\"tid\":4,"
		      "\"ts\":0.015,\"dur\":0}"));
	ck_assert_ptr_nonnull(strstr(
		json, "{\"ph\":\"X\",\"name\":\"get q\",\"pid\":1,\"tid\":3,"
		      "\"ts\":0.020,\"dur\":0}"));
	ck_assert_ptr_nonnull(strstr(
		json, "{\"ph\":\"s\",\"name\":\"put q\",\"pid\":4,\"tid\":4,"
		      "\"ts\":0.015,\"cat\":\"sync\",\"id\":3}"));
	ck_assert_ptr_nonnull(strstr(
		json, "{\"ph\":\"f\",\"name\":\"put q\",\"pid\":1,\"tid\":3,"
		      "\"ts\":0.020,\"cat\":\"sync\",\"id\":3,\"bp\":\"e\"}"));
	ck_assert_ptr_nonnull(strstr(
		json, "{\"ph\":\"s\",\"name\":\"put q\",\"pid\":4,\"tid\":4,"
		      "\"ts\":0.030,\"cat\":\"sync\",\"id\":5}"));
	ck_assert_ptr_nonnull(strstr(
		json, "{\"ph\":\"f\",\"name\":\"put q\",\"pid\":1,\"tid\":3,"
		      "\"ts\":0.040,\"cat\":\"sync\",\"id\":5,\"bp\":\"e\"}"));
	ck_assert_ptr_nonnull(strstr(json, "\"tid\":4,\"ts\":0.050,\"cat\":"
					   "\"sync\",\"id\":7,\"bp\":\"e\"}"));
	ck_assert_int_eq(count_of(json, "\"ph\":\"s\""), 3);
	ck_assert_int_eq(count_of(json, "\"ph\":\"f\""), 3);
	free(json);
	trace_timeline(&t, &reg, &o, &out);
	ck_assert_str_eq(buf_str(&out),
			 "            a              b\n"
			 "      #0030                waits on queue q\n"
			 "      #0045 get q wakes b\n"
			 "      #0045                woke (q)\n");
	buf_free(&out);
	trace_clear(&t);
}
END_TEST

static Suite *
trace_suite(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("bounds");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_keeps_everything_below_bounds);
	tcase_add_test(tc, test_forgets_oldest_and_sums_them_up);
	tcase_add_test(tc, test_text_bound);
	tcase_add_test(tc, test_one_huge_line);
	tcase_add_test(tc, test_summary_is_told);
	suite_add_tcase(s, tc);
	tc = tcase_create("time");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_time_format);
	tcase_add_test(tc, test_bracket);
	tcase_add_test(tc, test_timeline_times);
	tcase_add_test(tc, test_deadlock_stands_out);
	suite_add_tcase(s, tc);
	tc = tcase_create("sync");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_wake_arrows);
	tcase_add_test(tc, test_wake_told_late);
	tcase_add_test(tc, test_timeline_wake_order);
	tcase_add_test(tc, test_value_arrows);
	tcase_add_test(tc, test_wake_of_several);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(trace_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
