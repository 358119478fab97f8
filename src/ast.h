/* ast.h: the task language's syntax tree. */
#ifndef WEFT_AST_H
#define WEFT_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AST_MAX_DEPTH 32    /* nesting of blocks and expressions */
#define AST_MAX_BODY 65536  /* bytes in one task definition */
#define AST_MAX_STRING 1024 /* bytes in one string literal */
#define AST_MAX_NODES 20000 /* nodes in one task */
#define AST_MAX_PARAMS 8
#define AST_NAME_MAX 31

enum expr_kind {
	EX_INT,
	EX_STR,
	EX_VAR,
	EX_NOT,
	EX_NEG,
	EX_BIN, /* op holds the operator */
};

enum binop {
	OP_ADD,
	OP_SUB,
	OP_MUL,
	OP_DIV,
	OP_MOD,
	OP_EQ,
	OP_NE,
	OP_LT,
	OP_LE,
	OP_GT,
	OP_GE,
	OP_AND,
	OP_OR,
};

struct expr {
	enum expr_kind kind;
	int line, col;
	int64_t i; /* EX_INT */
	char *s;   /* EX_STR text, EX_VAR name */
	int var;   /* EX_VAR: slot (>= 0 local) or ~global index */
	enum binop op;
	struct expr *a, *b; /* operands */
};

enum stmt_kind {
	ST_PRINT,
	ST_SLEEP,
	ST_FOR_RANGE,
	ST_FOR_WORDS,
	ST_REPEAT,
	ST_WHILE,
	ST_IF,
	ST_ASSIGN,
	ST_ADD_ASSIGN,
	ST_INCR,
	ST_DECR,
	ST_LOCK,
	ST_UNLOCK,
	ST_YIELD,
	ST_EXIT,
	ST_CRASH,
	/* the objects beyond the lock (SPEC 9): OBJ names the object */
	ST_WAIT,       /* wait OBJ: semaphore, condition or barrier */
	ST_SIGNAL,     /* signal OBJ */
	ST_NOTIFY,     /* notify OBJ [N] */
	ST_NOTIFY_ALL, /* notify_all OBJ */
	ST_PUT,	       /* put OBJ EXPR */
	ST_GET,	       /* get OBJ VAR: NAME is the variable */
	ST_ASSERT,     /* assert EXPR [, MESSAGE]: ARGS holds both */
};

struct stmt {
	enum stmt_kind kind;
	int line, col;
	char *name;	    /* variable, loop variable or lock */
	int var;	    /* its slot (>= 0) or ~global index; lock index */
	bool by_value;	    /* lock, unlock: NAME is a local, var its slot,
			     * and the lock is the one its word names */
	char *obj;	    /* wait ... get: the object's name */
	int obj_var;	    /* its local's slot when a local names it, or -1 */
	struct expr **args; /* print's values, or one expression */
	size_t nargs;
	struct expr *lo, *hi; /* for over a range */
	char **words;	      /* for over words */
	size_t nwords;
	struct stmt **body, **orelse;
	size_t nbody, norelse;
};

struct task_def {
	char *name;
	char *params[AST_MAX_PARAMS];
	bool numeric[AST_MAX_PARAMS]; /* used where only an integer fits */
	int nparams;
	int nslots;	/* locals: parameters, loop variables */
	char **globals; /* global variables it uses, by index */
	size_t nglobals;
	char **locks; /* locks it uses, by index */
	size_t nlocks;
	struct stmt **body;
	size_t nbody;
	bool builtin;
	char *source; /* the text it was parsed from, up to its brace */
	size_t source_len;
};

struct parse_error {
	int line, col; /* 1-based, line 1 is the line holding 'task' */
	char msg[128];
};

/* Parses one task definition, "task NAME[(P, ...)] { BODY }", from TEXT
 * (LEN bytes, which may span lines). Returns the definition, or NULL with
 * ERR set. *USED gets the bytes up to the closing brace. */
struct task_def *parse_task(const char *text, size_t len, size_t *used,
			    struct parse_error *err);

/* Returns where the definition that TEXT starts with ends: just after the
 * brace that balances the first '{' (outside strings and comments), or
 * where it cannot go on (the parser will say why), which is the end of
 * its first line when that line has no '{'. Returns 0 when more lines are
 * needed. */
size_t parse_task_end(const char *text, size_t len);

/* Does LINE (LEN bytes) begin a task definition ("task" as its first word,
 * after blanks)? */
bool parse_starts_task(const char *line, size_t len);

/* Appends DEF in canonical form (one statement a line, four spaces an
 * indent, the fewest parentheses) to OUT. */
struct buf;
void task_format(const struct task_def *def, struct buf *out);
/* Appends statement S alone, on one line, to OUT (for step traces). */
void stmt_format(const struct stmt *s, struct buf *out);
/* Appends expression E to OUT, as task_format writes it. */
void expr_format(const struct expr *e, struct buf *out);

/* Frees DEF and everything in it. */
void task_def_free(struct task_def *def);

#endif
