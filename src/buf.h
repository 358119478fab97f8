/* buf.h: a growable byte buffer. */
#ifndef WEFT_BUF_H
#define WEFT_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len, cap;
};

/* Appends N bytes of P. */
void buf_add(struct buf *b, const void *p, size_t n);
/* Appends a NUL-terminated string. */
void buf_puts(struct buf *b, const char *s);
/* Appends LEN bytes of TEXT with every control character but the tab in
 * caret notation (ESC as ^[, DEL as ^?), so that text from a worker, a
 * lesson or the user cannot drive the terminal, and stays one line. */
void buf_add_visible(struct buf *b, const char *text, size_t len);
/* Appends formatted text. */
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Returns the contents as a NUL-terminated string (owned by B). */
const char *buf_str(struct buf *b);
/* Empties B, keeping its memory. */
void buf_reset(struct buf *b);
/* Frees B's memory and empties it. */
void buf_free(struct buf *b);

#endif
