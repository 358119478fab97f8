/*
 * cmd-record.c: record FILE | record stop | record: every command typed
 * afterwards that succeeds is appended to FILE, which becomes a lesson: a
 * teacher writes one by doing it. A new FILE gets a title line, and the
 * scheduling in force is written first, so that the recording replays to
 * the same output (under the same seed).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "xmalloc.h"

static void
write_start(struct session *s, FILE *f)
{
	fseek(f, 0, SEEK_END);
	if (ftell(f) == 0)
		fputs("# title: A recorded session\n", f);
	if (s->sch.mode == SCHED_SEED)
		fprintf(f, "sched seed %llu\n",
			(unsigned long long)s->sch.seed);
	else if (s->sch.mode == SCHED_STEP)
		fputs("sched step\n", f);
	fflush(f);
}

static int
exec_record(struct session *s, int argc, char **argv)
{
	FILE *f;

	if (argc == 1) {
		if (s->record != NULL)
			sh_printf(s, "recording to %s\n", s->record_path);
		else
			sh_printf(s, "not recording\n");
		return 0;
	}
	if (strcmp(argv[1], "stop") == 0) {
		if (s->record == NULL) {
			sh_error(s, "not recording");
			return 1;
		}
		fclose(s->record);
		s->record = NULL;
		sh_printf(s,
			  "main: recording stopped; %s is a lesson: weft "
			  "--lesson %s\n",
			  s->record_path, s->record_path);
		free(s->record_path);
		s->record_path = NULL;
		return 0;
	}
	if (s->record != NULL) {
		sh_error(s, "already recording to %s (record stop first)",
			 s->record_path);
		return 1;
	}
	if ((f = fopen(argv[1], "ae")) == NULL) {
		sh_error(s, "cannot record to %s: %s", argv[1],
			 strerror(errno));
		return 1;
	}
	write_start(s, f);
	s->record = f;
	free(s->record_path);
	s->record_path = xstrdup(argv[1]);
	sh_printf(s, "main: recording to %s: every command that succeeds\n",
		  argv[1]);
	return 0;
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
