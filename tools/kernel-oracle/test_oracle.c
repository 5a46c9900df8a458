// SPDX-License-Identifier: MIT
/*
 * Unit tests of the kernel oracle's host side that need no VM: the JSON
 * Lines reader, the cpio writer (read back header by header) and the
 * command line of "memcg kernel" / "memcg compare".
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "cpio.h"
#include "jsonl.h"
#include "oracle_int.h"

static void test_jsonl_event(void **state)
{
	struct jsonl_obj o;

	(void)state;
	assert_int_equal(jsonl_parse("{\"line\":6,\"kind\":\"expect\","
				     "\"expr\":\"A/memory.current ~ 30M 5%\","
				     "\"ok\":true,\"actual\":\"31457280\"}", &o),
			 0);
	assert_int_equal(o.nr, 5);
	assert_string_equal(jsonl_get(&o, "line"), "6");
	assert_string_equal(jsonl_get(&o, "kind"), "expect");
	assert_string_equal(jsonl_get(&o, "expr"), "A/memory.current ~ 30M 5%");
	assert_string_equal(jsonl_get(&o, "ok"), "true");
	assert_null(jsonl_get(&o, "file"));
	jsonl_free(&o);
}

static void test_jsonl_escapes(void **state)
{
	struct jsonl_obj o;

	(void)state;
	assert_int_equal(jsonl_parse(" { \"a\" : \"x\\\"y\\\\z\\n\\u0041\\u00e9\" ,"
				     "\"b\":null } ", &o), 0);
	assert_string_equal(jsonl_get(&o, "a"), "x\"y\\z\nA\xc3\xa9");
	assert_string_equal(jsonl_get(&o, "b"), "null");
	jsonl_free(&o);
	assert_int_equal(jsonl_parse("{}", &o), 0);
	assert_int_equal(o.nr, 0);
}

static void test_jsonl_malformed(void **state)
{
	static const char *const bad[] = {
		"", "A/memory.current 1234", "{", "{\"a\"}", "{\"a\":}",
		"{\"a\":\"x}", "{\"a\":1,}", "{\"a\":\"\\q\"}", "{\"a\":1 \"b\":2}",
		"{\"a\":\"\\u12\"}",
	};
	struct jsonl_obj o;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(jsonl_parse(bad[i], &o), -EINVAL);
}

/* Read one newc header at @p; return the next entry. */
static const char *cpio_next(const char *p, char *name, unsigned *mode,
			     size_t *size, const char **data, unsigned *rdev)
{
	char field[9] = { 0 };
	unsigned long v[13];
	size_t off;

	assert_memory_equal(p, "070701", 6);
	for (int i = 0; i < 13; i++) {
		memcpy(field, p + 6 + 8 * i, 8);
		v[i] = strtoul(field, NULL, 16);
	}
	*mode = (unsigned)v[1];
	*size = v[6];
	*rdev = (unsigned)(v[9] << 8 | v[10]);
	memcpy(name, p + 110, v[11]);
	assert_int_equal(name[v[11] - 1], '\0');
	off = (110 + v[11] + 3) & ~(size_t)3;
	*data = p + off;
	return p + ((off + *size + 3) & ~(size_t)3);
}

static void test_cpio_roundtrip(void **state)
{
	FILE *f = tmpfile();
	struct cpio c;
	char *buf, name[64];
	const char *p, *data;
	unsigned mode, rdev;
	size_t size;
	long len;

	(void)state;
	assert_non_null(f);
	cpio_init(&c, f);
	cpio_dir(&c, "bin", 0755);
	cpio_file(&c, "oracle/env", 0644, "MODE=v2\n", 8);
	cpio_symlink(&c, "bin/sh", "busybox");
	cpio_chardev(&c, "dev/console", 0600, 5, 1);
	assert_int_equal(cpio_finish(&c), 0);
	len = ftell(f);
	assert_int_equal(len % 4, 0);
	buf = calloc(1, (size_t)len + 1);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);

	p = cpio_next(buf, name, &mode, &size, &data, &rdev);
	assert_string_equal(name, "bin");
	assert_int_equal(mode, S_IFDIR | 0755);
	p = cpio_next(p, name, &mode, &size, &data, &rdev);
	assert_string_equal(name, "oracle/env");
	assert_int_equal(mode, S_IFREG | 0644);
	assert_int_equal(size, 8);
	assert_memory_equal(data, "MODE=v2\n", 8);
	p = cpio_next(p, name, &mode, &size, &data, &rdev);
	assert_string_equal(name, "bin/sh");
	assert_int_equal(mode, S_IFLNK | 0777);
	assert_memory_equal(data, "busybox", 7);
	p = cpio_next(p, name, &mode, &size, &data, &rdev);
	assert_string_equal(name, "dev/console");
	assert_int_equal(mode, S_IFCHR | 0600);
	assert_int_equal(rdev, 5 << 8 | 1);
	p = cpio_next(p, name, &mode, &size, &data, &rdev);
	assert_string_equal(name, "TRAILER!!!");
	assert_int_equal(p - buf, len);
	free(buf);
	fclose(f);
}

static void test_cpio_missing_file(void **state)
{
	FILE *f = tmpfile();
	struct cpio c;

	(void)state;
	cpio_init(&c, f);
	cpio_copy(&c, "x", 0644, "/nonexistent/kernel-oracle-test");
	assert_int_equal(cpio_finish(&c), -ENOENT);
	fclose(f);
}

static int parse(bool compare, struct oracle_opts *o, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	va_start(ap, o);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	return oracle_parse_args(argc, argv, compare, o);
}

static void test_args(void **state)
{
	struct oracle_opts o;

	(void)state;
	assert_int_equal(parse(false, &o, "kernel", "f.scn", NULL), 0);
	assert_string_equal(o.file, "f.scn");
	assert_int_equal(o.timeout_s, 600);
	assert_int_equal(o.cmd_timeout_s, 120);
	assert_null(o.thp);
	assert_int_equal(o.nr_fwd, 0);

	assert_int_equal(parse(true, &o, "compare", "--memory=2G", "f.scn",
			       "--swap", "0", "--seed", "7", "--thp", "never",
			       "--timeout", "30", "--tolerance", "2.5", "--json",
			       "--mode", "v1", NULL), 0);
	assert_int_equal(o.m.memory_bytes, 2ULL << 30);
	assert_int_equal(o.m.swap_bytes, 0);
	assert_int_equal(o.given, SCN_GIVEN_MEMORY | SCN_GIVEN_SWAP |
			 SCN_GIVEN_MODE);
	assert_int_equal(o.m.mode, SCN_MODE_V1);
	assert_string_equal(o.thp, "never");
	assert_int_equal(o.timeout_s, 30);
	assert_true(o.json);
	assert_true(o.tolerance == 2.5);
	/* the engine's options are forwarded as given */
	assert_int_equal(o.nr_fwd, 8);
	assert_string_equal(o.fwd[0], "--memory");
	assert_string_equal(o.fwd[1], "2G");
	assert_string_equal(o.fwd[4], "--seed");
	assert_string_equal(o.fwd[5], "7");
}

static void test_args_errors(void **state)
{
	struct oracle_opts o;

	(void)state;
	assert_int_equal(parse(false, &o, "kernel", NULL), 2);
	assert_int_equal(parse(false, &o, "kernel", "a", "b", NULL), 2);
	assert_int_equal(parse(false, &o, "kernel", "a", "--bogus", NULL), 2);
	assert_int_equal(parse(false, &o, "kernel", "a", "--thp", "sometimes",
			       NULL), 2);
	assert_int_equal(parse(false, &o, "kernel", "a", "--timeout", "0",
			       NULL), 2);
	assert_int_equal(parse(false, &o, "kernel", "a", "--memory", "lots",
			       NULL), 2);
	assert_int_equal(parse(false, &o, "kernel", "a", "--accel", "hvf",
			       NULL), 2);
	assert_int_equal(parse(false, &o, "kernel", "a", "--timeout", NULL), 2);
	/* --tolerance is compare's */
	assert_int_equal(parse(false, &o, "kernel", "a", "--tolerance", "5",
			       NULL), 2);
	assert_int_equal(parse(true, &o, "compare", "a", "--tolerance", "-1",
			       NULL), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonl_event),
		cmocka_unit_test(test_jsonl_escapes),
		cmocka_unit_test(test_jsonl_malformed),
		cmocka_unit_test(test_cpio_roundtrip),
		cmocka_unit_test(test_cpio_missing_file),
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_args_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
