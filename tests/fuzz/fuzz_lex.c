/* fuzz_lex.c: libFuzzer target for the command lexer and the line
 * splitter: any bytes, split into lines and lexed, must not crash, leak
 * or hang. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "input.h"
#include "lex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
on_line(const char *line, size_t len, unsigned lineno, bool toolong, void *arg)
{
	struct lex_result r;
	struct lex_error e;

	if (!toolong && lex_line(line, len, &r, &e) == 0)
		lex_free(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in;

	input_init(&in, -1);
	input_feed(&in, (const char *)data, size, LEX_MAX_LINE, on_line, NULL);
	input_feed(&in, NULL, 0, LEX_MAX_LINE, on_line, NULL);
	input_free(&in);
	return 0;
}
