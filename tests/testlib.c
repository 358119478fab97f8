/* testlib.c: sessions for the Check tests (see testlib.h). */
#include "config.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"
#include "testlib.h"

char *
format(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	ck_assert_int_ge(vasprintf(&p, fmt, ap), 0);
	va_end(ap);
	return p;
}

void
open_session(struct session *s)
{
	ck_assert_int_eq(session_init(s), 0);
	s->capture = true;
	s->ro.time = false;
	s->ro.color = false;
	ck_assert_int_eq(shell_signals_init(s), 0);
}

void
close_session(struct session *s)
{
	shell_free(s);
}

int
run_script(struct session *s, const char *script)
{
	size_t len = strlen(script);
	int fds[2], st;

	ck_assert_uint_lt(len, 4096); /* fits the pipe: no writer needed */
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], script, len), (ssize_t)len);
	close(fds[1]);
	input_init(&s->in, fds[0]);
	st = shell_run(s);
	ck_assert(s->done);
	close(fds[0]);
	return st;
}
