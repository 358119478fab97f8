/*
 * cmd-export.c: export FILE.json: the whole trace in Chrome trace-event
 * format, which Perfetto (ui.perfetto.dev) and chrome://tracing open: a
 * track per worker named after it, its life as a span, its output lines
 * as instant events, its lock waits as spans.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "files.h"

int
export_trace(struct session *s, const char *path, char *why, size_t len)
{
	FILE *f = file_open_write(path, false, why, len);

	if (f == NULL)
		return -1;
	errno = 0;
	if (trace_export(&s->trace, &s->reg, s->t0, f) < 0) {
		snprintf(why, len, "%s", strerror(errno ? errno : EIO));
		fclose(f);
		return -1;
	}
	/* The close may be what finds the disk full. */
	return file_close(f, why, len);
}

static int
exec_export(struct session *s, int argc, char **argv)
{
	const char *path = argv[1];
	size_t n = strlen(path);
	char why[128];

	if (n < 6 || strcmp(path + n - 5, ".json") != 0) {
		sh_error(s, "export writes JSON: name a FILE.json, not '%s'",
			 path);
		return 1;
	}
	if (export_trace(s, path, why, sizeof why) < 0) {
		sh_error(s, "cannot write '%s': %s", path, why);
		return 1;
	}
	sh_printf(s, "main: %zu events written to %s (open it in Perfetto)\n",
		  s->trace.n, path);
	return 0;
}

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.min_args = 1,
	.max_args = 1,
	.usage = "export FILE.json",
	.summary = "write the trace as Chrome trace-event JSON, for Perfetto",
	.example = "export run.json",
	.words = "f",
	.exec = exec_export,
};
