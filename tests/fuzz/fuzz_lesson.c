/* fuzz_lesson.c: libFuzzer target for the lesson parser and the Python
 * bridge: any bytes as a lesson, and each line as a bridge line. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "cmd.h"
#include "lesson.h"
#include "python.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *end = text + size;
	struct lesson l;
	struct lesson_lang lang = { .command = cmd_check };
	char err[512];

	if (lesson_parse("fuzz.weft", text, size, &lang, &l, err,
			 sizeof err) == 0)
		lesson_free(&l);
	while (text < end) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		size_t n = nl ? (size_t)(nl - text) : (size_t)(end - text);
		char **argv;
		if (py_looks_like(text, n) &&
		    py_translate(text, n, &argv, err, sizeof err) == 0)
			py_free(argv);
		text += n + (nl != NULL);
	}
	return 0;
}
