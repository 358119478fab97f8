/* fuzz_task.c: libFuzzer target for the task language: any text, parsed
 * as a task definition; when it parses, it is compiled and printed back,
 * and the printed text must parse again. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "ast.h"
#include "buf.h"
#include "interp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_error err;
	size_t used;
	struct task_def *def =
		parse_task((const char *)data, size, &used, &err);
	struct buf b = { 0 };

	(void)parse_task_end((const char *)data, size);
	if (def == NULL)
		return 0;
	struct program *prog = program_compile(def);
	program_free(prog);
	task_format(def, &b);
	struct task_def *again = parse_task(b.data, b.len, &used, &err);
	if (again == NULL)
		abort(); /* the printer wrote what the parser refuses */
	task_def_free(again);
	task_def_free(def);
	buf_free(&b);
	return 0;
}
