/* lex.h: splitting a command line into commands and words. */
#ifndef WEFT_LEX_H
#define WEFT_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define LEX_MAX_LINE 65536 /* bytes in one input line */
#define LEX_MAX_WORDS 256  /* words in one command */

struct lex_cmd {
	int argc;
	char **argv; /* argc words, then NULL */
	int *cols;   /* 1-based column where each word starts */
};

struct lex_result {
	struct lex_cmd *cmds;
	size_t n;
};

struct lex_error {
	int col;
	char msg[96];
};

/*
 * Splits LINE (LEN bytes) into commands separated by ';' and words separated
 * by blanks; "..." and '...' quote, '#' at the start of a word begins a
 * comment. Returns 0 and fills OUT (free with lex_free), or -1 with ERR set
 * and OUT empty.
 */
int lex_line(const char *line, size_t len, struct lex_result *out,
	     struct lex_error *err);

/* Appends WORD to OUT as lex_line reads it back as one word: bare when
 * it can be, else in double quotes with \" \\ \n \t escaped. ALWAYS:
 * quote it even when it need not be. */
void lex_quote(const char *word, bool always, struct buf *out);

/* Is NAME a name of at most MAX bytes: [A-Za-z_][A-Za-z0-9_]*? */
bool lex_name_valid(const char *name, size_t max);

/* Is LINE (LEN bytes) plain text: no control character but tab, and
 * valid UTF-8? (What is not is told by lex_line, its way, never echoed
 * raw.) */
bool lex_plain(const char *line, size_t len);

/* Frees what lex_line stored in R and empties it. */
void lex_free(struct lex_result *r);

#endif
