/*
 * lex.c: the command-line lexer. A line holds commands separated by ';', a
 * command holds words separated by blanks. Double quotes allow the escapes
 * \" \\ \n \t; single quotes are literal; quoted and bare text next to each
 * other form one word, as in a POSIX shell. Every error names its column.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "xmalloc.h"

struct lexer {
	const char *p, *end, *start;
	struct lex_result *out;
	struct lex_cmd cur;
	char *word; /* the word being built */
	size_t wlen, wcap;
	struct lex_error *err;
};

static int
fail(struct lexer *lx, const char *at, const char *msg)
{
	lx->err->col = (int)(at - lx->start) + 1;
	snprintf(lx->err->msg, sizeof lx->err->msg, "%s", msg);
	return -1;
}

static void
put(struct lexer *lx, char c)
{
	if (lx->wlen + 1 >= lx->wcap) {
		lx->wcap = lx->wcap ? lx->wcap * 2 : 32;
		lx->word = xrealloc(lx->word, lx->wcap);
	}
	lx->word[lx->wlen++] = c;
}

static int
end_word(struct lexer *lx, const char *wstart)
{
	struct lex_cmd *c = &lx->cur;

	if (c->argc >= LEX_MAX_WORDS)
		return fail(lx, wstart, "too many words in one command");
	c->argv = xrealloc(c->argv, sizeof *c->argv * (size_t)(c->argc + 2));
	c->cols = xrealloc(c->cols, sizeof *c->cols * (size_t)(c->argc + 1));
	c->argv[c->argc] = xstrndup(lx->word ? lx->word : "", lx->wlen);
	c->cols[c->argc] = (int)(wstart - lx->start) + 1;
	c->argv[++c->argc] = NULL;
	lx->wlen = 0;
	return 0;
}

static void
end_cmd(struct lexer *lx)
{
	struct lex_result *r = lx->out;

	if (lx->cur.argc == 0)
		return;
	r->cmds = xrealloc(r->cmds, sizeof *r->cmds * (r->n + 1));
	r->cmds[r->n++] = lx->cur;
	memset(&lx->cur, 0, sizeof lx->cur);
}

/* Reads a quoted part starting at the opening quote Q; 0 or -1. */
static int
quoted(struct lexer *lx)
{
	const char *open = lx->p;
	char q = *lx->p++;

	while (lx->p < lx->end && *lx->p != q) {
		char c = *lx->p++;
		if (c == '\\' && q == '"' && lx->p < lx->end) {
			char e = *lx->p++;
			switch (e) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '"':
			case '\\': c = e; break;
			default:
				put(lx, '\\');
				c = e;
				break;
			}
		}
		put(lx, c);
	}
	if (lx->p >= lx->end)
		return fail(lx, open, "unterminated string");
	lx->p++;
	return 0;
}

/* Reads one word at lx->p (not a blank, ';' or comment); 0 or -1. */
static int
word(struct lexer *lx)
{
	const char *wstart = lx->p;

	while (lx->p < lx->end) {
		char c = *lx->p;
		if (c == ' ' || c == '\t' || c == '\r' || c == ';')
			break;
		if (c == '"' || c == '\'') {
			if (quoted(lx) < 0)
				return -1;
			continue;
		}
		put(lx, c);
		lx->p++;
	}
	return end_word(lx, wstart);
}

static void
cleanup(struct lexer *lx)
{
	free(lx->word);
	if (lx->cur.argv != NULL) {
		for (int i = 0; i < lx->cur.argc; i++)
			free(lx->cur.argv[i]);
		free(lx->cur.argv);
		free(lx->cur.cols);
	}
}

int
lex_line(const char *line, size_t len, struct lex_result *out,
	 struct lex_error *err)
{
	struct lexer lx = { .p = line,
			    .end = line + len,
			    .start = line,
			    .out = out,
			    .err = err };
	const char *nul = memchr(line, '\0', len);

	memset(out, 0, sizeof *out);
	if (len > LEX_MAX_LINE)
		return fail(&lx, line + LEX_MAX_LINE, "line too long");
	if (nul != NULL)
		return fail(&lx, nul, "NUL byte in input");
	while (lx.p < lx.end) {
		char c = *lx.p;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			lx.p++;
		} else if (c == ';') {
			end_cmd(&lx);
			lx.p++;
		} else if (c == '#') {
			break;
		} else if (word(&lx) < 0) {
			cleanup(&lx);
			lex_free(out);
			return -1;
		}
	}
	end_cmd(&lx);
	cleanup(&lx);
	return 0;
}

bool
lex_name_valid(const char *name, size_t max)
{
	size_t n = strlen(name);

	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     c == '_';
		if (!alpha && !(i > 0 && c >= '0' && c <= '9'))
			return false;
	}
	return true;
}

void
lex_free(struct lex_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		for (int j = 0; j < r->cmds[i].argc; j++)
			free(r->cmds[i].argv[j]);
		free(r->cmds[i].argv);
		free(r->cmds[i].cols);
	}
	free(r->cmds);
	r->cmds = NULL;
	r->n = 0;
}

void
lex_quote(const char *word, bool always, struct buf *out)
{
	if (!always && *word != '\0' && strpbrk(word, " \t;#\"'\\\n") == NULL) {
		buf_puts(out, word);
		return;
	}
	buf_puts(out, "\"");
	for (; *word; word++) {
		if (*word == '"' || *word == '\\')
			buf_printf(out, "\\%c", *word);
		else if (*word == '\n')
			buf_puts(out, "\\n");
		else if (*word == '\t')
			buf_puts(out, "\\t");
		else
			buf_add(out, word, 1);
	}
	buf_puts(out, "\"");
}

bool
lex_plain(const char *line, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)line[i];
		size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2
				  : (c & 0xf0) == 0xe0 ? 3
				  : (c & 0xf8) == 0xf0 ? 4 : 0;
		if ((c < 0x20 && c != '\t') || c == 0x7f || n == 0 ||
		    (n == 2 && c < 0xc2) || i + n > len)
			return false;
		for (size_t k = 1; k < n; k++)
			if (((unsigned char)line[i + k] & 0xc0) != 0x80)
				return false;
		i += n;
	}
	return true;
}
