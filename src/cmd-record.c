/*
 * cmd-record.c: record FILE | record stop | record: every command typed
 * afterwards that succeeds is appended to FILE, which becomes a lesson: a
 * teacher writes one by doing it. A new FILE gets a title line, and the
 * scheduling in force is written first, so that the recording replays to
 * the same output (under the same seed).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "files.h"
#include "xmalloc.h"

/* Writes the head of a recording to F. Returns 0, or -1 with WHY. */
static int
write_start(struct session *s, FILE *f, char *why, size_t len)
{
	fseek(f, 0, SEEK_END);
	if (ftell(f) <= 0)
		fputs("# title: A recorded session\n", f);
	if (s->sch.mode == SCHED_SEED)
		fprintf(f, "sched seed %llu\n",
			(unsigned long long)s->sch.seed);
	else if (s->sch.mode == SCHED_STEP)
		fputs("sched step\n", f);
	return file_flush(f, why, len);
}

static int
record_stop(struct session *s)
{
	char why[128];
	int st = 0;

	if (s->record == NULL) {
		sh_error(s, "not recording");
		return 1;
	}
	if (file_close(s->record, why, sizeof why) < 0) {
		sh_error(s, "cannot write '%s': %s", s->record_path, why);
		st = 1;
	} else {
		sh_printf(s,
			  "main: recording stopped; %s is a lesson: weft "
			  "--lesson %s\n",
			  s->record_path, s->record_path);
	}
	s->record = NULL;
	free(s->record_path);
	s->record_path = NULL;
	return st;
}

static int
record_start(struct session *s, const char *path)
{
	char why[128];
	FILE *f;

	if (s->record != NULL) {
		sh_error(s, "already recording to %s (record stop first)",
			 s->record_path);
		return 1;
	}
	if ((f = file_open_write(path, true, why, sizeof why)) == NULL) {
		sh_error(s, "cannot record to %s: %s", path, why);
		return 1;
	}
	if (write_start(s, f, why, sizeof why) < 0) {
		sh_error(s, "cannot write '%s': %s", path, why);
		fclose(f);
		return 1;
	}
	s->record = f;
	s->record_path = xstrdup(path);
	sh_printf(s, "main: recording to %s: every command that succeeds\n",
		  path);
	return 0;
}

static int
exec_record(struct session *s, int argc, char **argv)
{
	if (argc == 1) {
		if (s->record != NULL)
			sh_printf(s, "recording to %s\n", s->record_path);
		else
			sh_printf(s, "not recording\n");
		return 0;
	}
	if (strcmp(argv[1], "stop") == 0)
		return record_stop(s);
	return record_start(s, argv[1]);
}

const struct cmd_entry cmd_record_entry = {
	.name = "record",
	.min_args = 0,
	.max_args = 1,
	.usage = "record [FILE|stop]",
	.summary = "write every command that succeeds from now on to FILE, "
		   "a lesson to replay",
	.example = "record my-lesson.weft",
	.words = "f",
	.exec = exec_record,
};
