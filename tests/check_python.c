/*
 * check_python.c: unit tests of the Python bridge's translator. Every
 * statement it reads becomes exactly the native words it stands for: both
 * constructors in all four spellings, args= as a tuple or a list of whole
 * numbers and strings, keywords in any order and spacing, start(), join()
 * with and without a timeout in seconds, the attributes with and without
 * print(), terminate() and kill(), the imports, the __main__ guard and
 * comments. Every error gives its exact one-line message and no words.
 * py_looks_like is true for the bridge's lines, malformed ones included,
 * and false for every kind of native command line.
 */
#include "config.h"

#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "python.h"

/* Translates LINE, which must succeed, and checks its words against the
 * rest of the arguments, up to a NULL. */
static void
translates(const char *line, ...)
{
	char err[256] = "", **argv = NULL;
	const char *want;
	va_list ap;
	int i = 0, rc;

	rc = py_translate(line, strlen(line), &argv, err, sizeof err);
	ck_assert_msg(rc == 0, "py_translate(\"%s\") failed: %s", line, err);
	ck_assert_ptr_nonnull(argv);
	va_start(ap, line);
	while ((want = va_arg(ap, const char *)) != NULL) {
		ck_assert_msg(argv[i] != NULL, "\"%s\": no word %d, want '%s'",
			      line, i, want);
		ck_assert_str_eq(argv[i], want);
		i++;
	}
	va_end(ap);
	ck_assert_msg(argv[i] == NULL, "\"%s\": extra word '%s'", line,
		      argv[i]);
	py_free(argv);
}

#define WORDS(line, ...) translates(line, __VA_ARGS__, (const char *)NULL)
#define NOTHING(line) translates(line, (const char *)NULL)

/* Translates LINE, which must fail with exactly the error MSG. */
static void
fails(const char *line, const char *msg)
{
	/* argv not NULL, so that an untouched *OUT would show. */
	char err[256] = "", **argv = (char **)&argv;
	int rc = py_translate(line, strlen(line), &argv, err, sizeof err);

	ck_assert_msg(rc == -1, "py_translate(\"%s\") succeeded", line);
	ck_assert_ptr_null(argv);
	ck_assert_str_eq(err, msg);
}

static bool
looks(const char *line)
{
	return py_looks_like(line, strlen(line));
}

/* Constructors */

START_TEST(test_thread)
{
	WORDS("t1 = threading.Thread(target=print_numbers)", "spawn", "thread",
	      "t1", "print_numbers");
	WORDS("thread2 = Thread(target=print_letters)", "spawn", "thread",
	      "thread2", "print_letters");
}
END_TEST

START_TEST(test_process)
{
	WORDS("p1 = multiprocessing.Process(target=print_letters, args=(3,))",
	      "spawn", "process", "p1", "print_letters", "3");
	WORDS("p2 = Process(target=print_numbers)", "spawn", "process", "p2",
	      "print_numbers");
}
END_TEST

START_TEST(test_args)
{
	WORDS("t = Thread(target=ticker, args=(1, 2))", "spawn", "thread", "t",
	      "ticker", "1", "2");
	WORDS("t = Thread(target=count, args=[3])", "spawn", "thread", "t",
	      "count", "3");
	WORDS("t = Thread(target=ticker, args=[4, 5,])", "spawn", "thread", "t",
	      "ticker", "4", "5");
	WORDS("t = Thread(target=f, args=())", "spawn", "thread", "t", "f");
	WORDS("t = Thread(target=f, args=[])", "spawn", "thread", "t", "f");
	WORDS("t = Thread(target=f, args=(-4, +5, 007))", "spawn", "thread",
	      "t", "f", "-4", "5", "7");
	WORDS("t = Thread(target=f, args=(9223372036854775807, "
	      "-9223372036854775808))",
	      "spawn", "thread", "t", "f", "9223372036854775807",
	      "-9223372036854775808");
}
END_TEST

START_TEST(test_string_args)
{
	WORDS("t = Thread(target=f, args=(\"a b\", 'c', \"\"))", "spawn",
	      "thread", "t", "f", "a b", "c", "");
	WORDS("t = Thread(target=f, args=(\"x\\\"y\", 'it\\'s', \"a\\\\b\"))",
	      "spawn", "thread", "t", "f", "x\"y", "it's", "a\\b");
	WORDS("t = Thread(target=f, args=(\"1\\t2\\n\", '\\d', \"#, ;)\"))",
	      "spawn", "thread", "t", "f", "1\t2\n", "\\d", "#, ;)");
	WORDS("t = Thread(target=f, args=('\xc3\xa9t\xc3\xa9',))", "spawn",
	      "thread", "t", "f", "\xc3\xa9t\xc3\xa9");
}
END_TEST

START_TEST(test_keyword_order_and_spacing)
{
	WORDS("t1=threading.Thread(args=(5,),target=count)", "spawn", "thread",
	      "t1", "count", "5");
	WORDS("\t t1  =  threading . Thread ( target = count , args = ( 5 , ) "
	      ", )  ",
	      "spawn", "thread", "t1", "count", "5");
	WORDS("p1 = Process(\n target=count)\r\n", "spawn", "process", "p1",
	      "count");
}
END_TEST

START_TEST(test_name_keyword)
{
	WORDS("t1 = Thread(target=f, name=\"t1\")", "spawn", "thread", "t1",
	      "f");
	WORDS("p1 = Process(name='p1', target=f)", "spawn", "process", "p1",
	      "f");
}
END_TEST

/* Methods and attributes */

START_TEST(test_start)
{
	WORDS("t1.start()", "start", "t1");
	WORDS("  thread1 . start ( )", "start", "thread1");
}
END_TEST

START_TEST(test_join)
{
	WORDS("t1.join()", "join", "t1");
	WORDS("t1.join(None)", "join", "t1");
	WORDS("t1.join(timeout=None)", "join", "t1");
	WORDS("t1.join(2.0)", "join", "t1", "--timeout", "2000");
	WORDS("t1.join(2)", "join", "t1", "--timeout", "2000");
	WORDS("t1.join(timeout=2)", "join", "t1", "--timeout", "2000");
	WORDS("t1.join( timeout = 1.25 , )", "join", "t1", "--timeout", "1250");
	WORDS("t1.join(.5)", "join", "t1", "--timeout", "500");
	WORDS("t1.join(3.)", "join", "t1", "--timeout", "3000");
	WORDS("t1.join(0)", "join", "t1", "--timeout", "0");
	WORDS("t1.join(-0.0)", "join", "t1", "--timeout", "0");
	WORDS("t1.join(+1)", "join", "t1", "--timeout", "1000");
	/* Rounded to the millisecond. */
	WORDS("t1.join(0.0015)", "join", "t1", "--timeout", "2");
	WORDS("t1.join(0.0004999)", "join", "t1", "--timeout", "0");
	WORDS("t1.join(86400)", "join", "t1", "--timeout", "86400000");
}
END_TEST

START_TEST(test_attributes)
{
	WORDS("t1.is_alive()", "pyattr", "t1", "is_alive");
	WORDS("t1.name", "pyattr", "t1", "name");
	WORDS("p1.pid", "pyattr", "p1", "pid");
	WORDS("p1.exitcode  # 0 once it has ended", "pyattr", "p1", "exitcode");
	WORDS("print(p1.exitcode)", "pyattr", "p1", "exitcode");
	WORDS("print( t1.is_alive() )", "pyattr", "t1", "is_alive");
}
END_TEST

START_TEST(test_terminate_and_kill)
{
	WORDS("p1.terminate()", "kill", "p1", "TERM");
	WORDS("p1.kill()", "kill", "p1", "KILL");
}
END_TEST

/* Lines that run nothing */

START_TEST(test_imports)
{
	NOTHING("import threading");
	NOTHING("import multiprocessing");
	NOTHING("import threading, multiprocessing");
	NOTHING("from threading import Thread");
	NOTHING("from multiprocessing import Process  # the class");
	NOTHING("from threading import *");
}
END_TEST

START_TEST(test_main_guard_blank_and_comment)
{
	NOTHING("if __name__ == \"__main__\":");
	NOTHING("if __name__=='__main__':  # as the tutorial does");
	NOTHING("");
	NOTHING("   \t");
	NOTHING("# only a comment");
}
END_TEST

START_TEST(test_comments)
{
	WORDS("t1.start()  # go", "start", "t1");
	WORDS("t1.start()#go", "start", "t1");
	WORDS("t = Thread(target=f, args=(\"#no\",))  # yes", "spawn", "thread",
	      "t", "f", "#no");
}
END_TEST

START_TEST(test_length_is_honoured)
{
	const char line[] = "t1.start()t2.join()";
	char err[64], **argv;

	ck_assert_int_eq(py_translate(line, 10, &argv, err, sizeof err), 0);
	ck_assert_str_eq(argv[0], "start");
	ck_assert_str_eq(argv[1], "t1");
	ck_assert_ptr_null(argv[2]);
	py_free(argv);
	ck_assert(py_looks_like(line, 10));
	ck_assert(!py_looks_like(line, 2));
	py_free(NULL);
}
END_TEST

START_TEST(test_error_buffer_is_bounded)
{
	char err[8] = "xxxxxxx", **argv;

	ck_assert_int_eq(py_translate("t1.start(1)", 11, &argv, err, 8), -1);
	ck_assert_str_eq(err, "start()");
	ck_assert_int_eq(py_translate("t1.start(1)", 11, &argv, NULL, 0), -1);
	ck_assert_ptr_null(argv);
}
END_TEST

/* Errors */

START_TEST(test_constructor_errors)
{
	fails("t1 = threading.Thread()", "Thread() needs target=TASK");
	fails("p1 = Process(args=(1,))", "Process() needs target=TASK");
	fails("t1 = Thread(target=f, colour=3)",
	      "Thread() got an unexpected keyword argument 'colour'");
	fails("p1 = Process(target=f, daemon=True)",
	      "keyword argument 'daemon' is not supported here");
	fails("p1 = Process(target=f, kwargs={})",
	      "keyword argument 'kwargs' is not supported here");
	fails("t1 = Thread(target=f, target=g)",
	      "keyword argument repeated: target");
	fails("t1 = Thread(target=f, args=(), args=())",
	      "keyword argument repeated: args");
	fails("t1 = Thread(print_numbers)",
	      "Thread() takes keyword arguments here, like "
	      "Thread(target=TASK)");
	fails("t1 = Thread(target=\"f\")",
	      "target= takes a task name, like target=print_numbers");
	fails("t1 = Thread(target=None)",
	      "target= takes a task name, like target=print_numbers");
	fails("t1 = Thread(target=f())", "unexpected '(' at column 21");
	fails("t1 = threading.Process(target=f)",
	      "module 'threading' has no attribute 'Process'");
	fails("p1 = multiprocessing.Thread(target=f)",
	      "module 'multiprocessing' has no attribute 'Thread'");
	fails("t1 = Thread(target=f, name=\"worker\")",
	      "name= must be 't1', the variable's name (weft names a worker "
	      "after it)");
	fails("t1 = Thread(target=f, name=t1)",
	      "name= must be 't1', the variable's name (weft names a worker "
	      "after it)");
	fails("t1 = Thread", "unexpected end of line");
	fails("t1 = Thread(,)", "unexpected ',' at column 13");
}
END_TEST

START_TEST(test_args_errors)
{
	fails("t = Thread(target=f, args=3)",
	      "args= takes a tuple or a list, like args=(1, 2)");
	fails("t = Thread(target=f, args=\"ab\")",
	      "args= takes a tuple or a list, like args=(1, 2)");
	fails("t = Thread(target=f, args=(x,))",
	      "args= takes whole numbers and quoted strings, not 'x'");
	fails("t = Thread(target=f, args=(1.5,))",
	      "args= takes whole numbers and quoted strings, not '1.5'");
	fails("t = Thread(target=f, args=(0x10,))",
	      "args= takes whole numbers and quoted strings, not '0x10'");
	fails("t = Thread(target=f, args=((1,),))",
	      "args= takes whole numbers and quoted strings, not '('");
	fails("t = Thread(target=f, args=(-x,))",
	      "args= takes whole numbers and quoted strings, not 'x'");
	fails("t = Thread(target=f, args=(3))",
	      "args=(3) is not a tuple: write args=(3,)");
	fails("t = Thread(target=f, args=( \"a\" ))",
	      "args=(\"a\") is not a tuple: write args=(\"a\",)");
	fails("t = Thread(target=f, args=(9223372036854775808,))",
	      "args= number out of range: '9223372036854775808'");
	fails("t = Thread(target=f, args=(-9223372036854775809,))",
	      "args= number out of range: '9223372036854775809'");
	fails("t = Thread(target=f, args=(1 2))",
	      "unexpected '2' at column 30");
}
END_TEST

START_TEST(test_syntax_errors)
{
	fails("t1 = Thread(target=f", "'(' at column 12 was never closed");
	fails("t1 = Thread(target=f, args=(1,)",
	      "'(' at column 12 was never closed");
	fails("t1.start())", "unmatched ')' at column 11");
	fails("t1 = Thread(target=f, args=(1,])",
	      "closing parenthesis ']' at column 31 does not match opening "
	      "parenthesis '(' at column 28");
	fails("t1 = Thread(target=f, args=(\"ab,))",
	      "unterminated string literal at column 29");
	fails("t1 = Thread(target=f, args=('a\\',))",
	      "unterminated string literal at column 29");
	fails("t1.start(); t2.start()",
	      "one statement a line: ';' at column 11 is not supported here");
	fails("t1.start()\x01", "unexpected character at column 11");
	fails("t1.start() now", "unexpected 'now' at column 12");
	fails("t1 = Thread(target=f) + 1", "unexpected '+' at column 23");
	fails("t1.join(1) \"a long string that goes on and on\"",
	      "unexpected '\"a long string that goes...' at column 12");
	fails("t1", "unexpected end of line");
	fails("t1 t2", "unexpected 't2' at column 4");
	fails("t1.start().join()", "unexpected '.' at column 11");
	fails("t1 = 3", "unexpected '3' at column 6");
	fails("if __name__ == \"main\":", "unexpected '\"main\"' at column 16");
	fails("if __name__ == '__main__'", "unexpected end of line");
}
END_TEST

/* A near miss of a name the bridge knows is named; a far one is not. */
START_TEST(test_did_you_mean)
{
	fails("t1.strat()",
	      "'t1' has no method 'strat'; did you mean 'start'?");
	fails("p1.exitcod", "'p1' has no attribute 'exitcod'; did you mean "
			    "'exitcode'?");
	fails("import treading",
	      "no module named 'treading'; did you mean 'threading'?");
	fails("from multiprocessing import Proces",
	      "cannot import name 'Proces' from 'multiprocessing'; did you "
	      "mean 'Process'?");
	fails("t = threading.Thraed(target=count)",
	      "module 'threading' has no attribute 'Thraed'; did you mean "
	      "'Thread'?");
	fails("t = Thread(targte=count)",
	      "Thread() got an unexpected keyword argument 'targte'; did you "
	      "mean 'target'?");
	fails("t1.colour", "'t1' has no attribute 'colour'");
	fails("import time", "no module named 'time' (weft knows threading, "
			     "multiprocessing and queue)");
}
END_TEST

START_TEST(test_method_errors)
{
	fails("t1.start(1)", "start() takes no arguments");
	fails("t1.is_alive(True)", "is_alive() takes no arguments");
	fails("p1.terminate(9)", "terminate() takes no arguments");
	fails("t1.run2()", "'t1' has no method 'run2'; did you mean 'run'?");
	fails("t1.colour", "'t1' has no attribute 'colour'");
	fails("p1.pid()", "'pid' is an attribute, not a method: write p1.pid");
	fails("t1.start", "'start' is a method: write t1.start()");
	fails("t1.is_alive", "'is_alive' is a method: write t1.is_alive()");
	fails("t1.run()",
	      "run() would run the task in the shell itself: use t1.start()");
	fails("t1.join(1, 2)",
	      "join() takes at most one argument, the timeout");
	fails("t1.join(x=1)", "join() got an unexpected keyword argument 'x'");
	fails("t1.join(\"2\")",
	      "join() timeout must be a number of seconds, like join(2.0)");
	fails("t1.join(1e3)",
	      "join() timeout must be a number of seconds, like join(2.0)");
	fails("t1.join(1.2.3)",
	      "join() timeout must be a number of seconds, like join(2.0)");
	fails("t1.join(-1)", "join() timeout cannot be negative");
	fails("t1.join(timeout=-0.001)", "join() timeout cannot be negative");
	fails("t1.join(86400.001)", "join() timeout is at most 86400 seconds");
	fails("t1.join(99999999999999999999)",
	      "join() timeout is at most 86400 seconds");
}
END_TEST

START_TEST(test_import_and_print_errors)
{
	fails("import time", "no module named 'time' (weft knows threading, "
			     "multiprocessing and queue)");
	fails("from time import sleep",
	      "no module named 'time' (weft knows threading, "
	      "multiprocessing and queue)");
	fails("import threading as th",
	      "import ... as is not supported here: use the module's own "
	      "name");
	fails("from threading import Thread as T",
	      "import ... as is not supported here: use the name itself");
	fails("from threading import Lock",
	      "cannot import name 'Lock' from 'threading'");
	fails("from multiprocessing import Thread",
	      "cannot import name 'Thread' from 'multiprocessing'");
	fails("from threading import", "unexpected end of line");
	fails("print(\"done\")",
	      "print() here shows a worker's attribute, like print(t1.pid)");
	fails("print(t1.start())",
	      "print() here shows a worker's attribute, like print(t1.pid)");
	fails("print(t1.foo)", "'t1' has no attribute 'foo'");
}
END_TEST

/* Routing */

START_TEST(test_native_lines_are_not_python)
{
	static const char *const native[] = {
		"spawn thread t1 print_numbers",
		"spawn process p1 count 3",
		"start t1 t2",
		"join t1 --timeout 2000",
		"join all",
		"set x = 3",
		"shared y = 0",
		"x = 3",
		"task foo { print \"a.b\" }",
		"task worker(n) {",
		"vars",
		"ps",
		"kill p1 TERM",
		"source lessons/01-threads.weft",
		"source .weftrc",
		"record out.weft",
		"help join",
		"sched seed 42",
		"step t1 2",
		"t1",
		"# t1.start()",
		"  # t1 = threading.Thread(target=f)",
		"",
		"   ",
		"import",
		"say t1.start() starts it",
		"t1 == Thread",
		"t1 = Threads(target=f)",
		"t1 . start()",
		"t1.",
		"t1.2",
		"9t.start()",
		".start()",
		"if x",
	};

	for (size_t i = 0; i < sizeof native / sizeof *native; i++)
		ck_assert_msg(!looks(native[i]), "'%s' looks like Python",
			      native[i]);
}
END_TEST

START_TEST(test_python_lines_are_python)
{
	static const char *const python[] = {
		"t1 = threading.Thread(target=print_numbers)",
		"t1=threading.Thread(target=print_numbers)",
		"thread1 = Thread(target=print_letters)",
		"p1 = multiprocessing.Process(target=f, args=(3,))",
		"p1 = Process(target=f)",
		"    p1 = Process(target=f)",
		"t1.start()",
		"t1.join(2.0)",
		"t1.is_alive()",
		"t1.name",
		"p1.pid",
		"p1.exitcode",
		"p1. exitcode",
		"print(p1.exitcode)",
		"print (t1.is_alive())",
		"import threading",
		"from multiprocessing import Process",
		"if __name__ == \"__main__\":",
		/* Malformed, so that the bridge can say what is wrong. */
		"t1 = threading.Thread(target=f",
		"t1 = threading.Thred(target=f)",
		"t1 = Thread",
		"t1.foo",
		"t1.start(); t2.start()",
		"import time",
		"print(\"hi\")",
	};

	for (size_t i = 0; i < sizeof python / sizeof *python; i++)
		ck_assert_msg(looks(python[i]),
			      "'%s' does not look like Python", python[i]);
}
END_TEST

static Suite *
python_suite(void)
{
	Suite *s = suite_create("python");
	TCase *tc;

	tc = tcase_create("translate");
	tcase_add_test(tc, test_thread);
	tcase_add_test(tc, test_process);
	tcase_add_test(tc, test_args);
	tcase_add_test(tc, test_string_args);
	tcase_add_test(tc, test_keyword_order_and_spacing);
	tcase_add_test(tc, test_name_keyword);
	tcase_add_test(tc, test_start);
	tcase_add_test(tc, test_join);
	tcase_add_test(tc, test_attributes);
	tcase_add_test(tc, test_terminate_and_kill);
	tcase_add_test(tc, test_imports);
	tcase_add_test(tc, test_main_guard_blank_and_comment);
	tcase_add_test(tc, test_comments);
	tcase_add_test(tc, test_length_is_honoured);
	tcase_add_test(tc, test_error_buffer_is_bounded);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, test_constructor_errors);
	tcase_add_test(tc, test_args_errors);
	tcase_add_test(tc, test_syntax_errors);
	tcase_add_test(tc, test_method_errors);
	tcase_add_test(tc, test_did_you_mean);
	tcase_add_test(tc, test_import_and_print_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("looks_like");
	tcase_add_test(tc, test_native_lines_are_not_python);
	tcase_add_test(tc, test_python_lines_are_python);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(python_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
