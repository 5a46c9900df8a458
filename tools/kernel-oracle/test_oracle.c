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
#include <unistd.h>

#include <cmocka.h>

#include "cpio.h"
#include "events.h"
#include "jsonl.h"
#include "oracle_int.h"
#include "vm.h"

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

/* JSON null and "null" differ; typed numbers read as written. */
static void test_jsonl_null(void **state)
{
	struct jsonl_obj o;

	(void)state;
	assert_int_equal(jsonl_parse("{\"a\":null,\"b\":\"null\",\"c\":-12}",
				     &o), 0);
	assert_null(jsonl_get_nonnull(&o, "a"));
	assert_string_equal(jsonl_get_nonnull(&o, "b"), "null");
	assert_string_equal(jsonl_get_nonnull(&o, "c"), "-12");
	assert_null(jsonl_get_nonnull(&o, "d"));
	jsonl_free(&o);
}

/*
 * Shows as `memcg run --json` and the player print them now (the key
 * apart, the value typed) and as they did before (one "value" string):
 * the same events.
 */
static void test_events_formats(void **state)
{
	static const char *const lines[] = {
		"{\"line\":3,\"kind\":\"show\",\"file\":\"A/memory.events\","
		"\"key\":\"max\",\"value\":6}",
		"{\"line\":3,\"kind\":\"show\",\"file\":\"A/memory.events\","
		"\"value\":\"max 6\"}",
		"{\"line\":4,\"kind\":\"show\",\"file\":\"memory.current\","
		"\"key\":null,\"value\":31457280}",
		"{\"line\":4,\"kind\":\"show\",\"file\":\"memory.current\","
		"\"value\":\"31457280\"}",
		"{\"line\":5,\"kind\":\"show\",\"file\":\"A/memory.max\","
		"\"key\":null,\"value\":\"max\"}",
		"{\"line\":6,\"kind\":\"expect\",\"expr\":\"A/memory.current "
		"> 0\",\"ok\":true,\"actual\":4096}",
		"{\"line\":6,\"kind\":\"expect\",\"expr\":\"A/memory.current "
		"> 0\",\"ok\":true,\"actual\":\"4096\"}",
	};
	struct events E = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++)
		events_add(&E, lines[i]);
	assert_int_equal(E.nr, 7);
	assert_int_equal(E.bad, 0);
	assert_string_equal(E.v[0].value, "max 6");
	assert_string_equal(E.v[1].value, "max 6");
	assert_string_equal(E.v[2].value, "31457280");
	assert_string_equal(E.v[3].value, "31457280");
	assert_string_equal(E.v[4].value, "max");
	assert_string_equal(E.v[5].actual, "4096");
	assert_string_equal(E.v[6].actual, "4096");
	assert_int_equal(E.expects, 2);
	events_free(&E);
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
	assert_false(o.keep_going);

	/* --keep-going: the player's, and forwarded to the engine */
	assert_int_equal(parse(true, &o, "compare", "f.scn", "--keep-going",
			       NULL), 0);
	assert_true(o.keep_going);
	assert_int_equal(o.nr_fwd, 1);
	assert_string_equal(o.fwd[0], "--keep-going");
	assert_int_equal(parse(false, &o, "kernel", "--keep-going", "f.scn",
			       NULL), 0);
	assert_true(o.keep_going);
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

static void test_args_vm(void **state)
{
	struct oracle_opts o;
	struct scn_machine m = { .reclaim = SCN_RECLAIM_DEFAULT };

	(void)state;
	assert_int_equal(parse(false, &o, "kernel", "f.scn", NULL), 0);
	assert_false(o.kernel_given);
	assert_null(o.lru_gen);
	assert_int_equal(o.repeat, 1);
	assert_null(oracle_lru_gen(&o, &m));
	m.reclaim = SCN_RECLAIM_MGLRU;
	assert_string_equal(oracle_lru_gen(&o, &m), "y");
	m.reclaim = SCN_RECLAIM_CLASSIC;
	assert_string_equal(oracle_lru_gen(&o, &m), "0");

	assert_int_equal(parse(true, &o, "compare", "f.scn", "--kernel",
			       "6.12", "--lru-gen=y", "--repeat", "5", NULL), 0);
	assert_true(o.kernel_given);
	assert_int_equal(o.kernel, SCN_KERNEL_6_12);
	assert_int_equal(o.repeat, 5);
	/* the flag overrides the machine line */
	assert_string_equal(oracle_lru_gen(&o, &m), "y");
	/* not the engine's: not forwarded */
	assert_int_equal(o.nr_fwd, 0);

	assert_int_equal(parse(false, &o, "kernel", "f", "--kernel", "6.6",
			       NULL), 2);
	assert_int_equal(parse(false, &o, "kernel", "f", "--kernel", "6.1.0",
			       NULL), 2);
	assert_int_equal(parse(false, &o, "kernel", "f", "--lru-gen", "n",
			       NULL), 2);
	assert_int_equal(parse(false, &o, "kernel", "f", "--repeat", "0",
			       NULL), 2);
	assert_int_equal(parse(false, &o, "kernel", "f", "--repeat", "101",
			       NULL), 2);
	assert_int_equal(parse(false, &o, "kernel", "f", "--repeat", NULL), 2);
}

#define VM_KV "kernel=6.1.0-57-amd64 ram_mb=1280 memtotal_kb=1239040 " \
	"swap=zram swap_bytes=536870912 comp=lzo-rle cpus=1 hz=250 " \
	"lru_gen=0x0000 thp=always"

static void test_vm_line(void **state)
{
	char buf[512];
	FILE *f = tmpfile();
	long n;

	(void)state;
	assert_string_equal(vm_get(VM_KV, "swap", buf, sizeof(buf)), "zram");
	assert_string_equal(vm_get(VM_KV, "thp", buf, sizeof(buf)), "always");
	assert_string_equal(vm_get(VM_KV, "bogus", buf, sizeof(buf)), "?");
	vm_format(VM_KV, buf, sizeof(buf));
	assert_string_equal(buf, "kernel 6.1.0-57-amd64, 1280M RAM (MemTotal "
			    "1210M), swap zram 512M (lzo-rle), 1 CPU, HZ 250, "
			    "lru_gen 0x0000, thp always");
	vm_format("kernel=6.12.118+deb12-amd64 swap=none cpus=2", buf,
		  sizeof(buf));
	assert_non_null(strstr(buf, ", no swap, 2 CPUs,"));

	vm_print(VM_KV, 2, true, f);
	vm_print(VM_KV, 2, false, f);
	vm_print("", 1, false, f);	/* nothing */
	n = ftell(f);
	rewind(f);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(fread(buf, 1, sizeof(buf) - 1, f), (size_t)n);
	assert_non_null(strstr(buf, "{\"kind\":\"vm\",\"boot\":2,\"kernel\":"
			       "\"6.1.0-57-amd64\",\"ram_mb\":1280,"));
	assert_non_null(strstr(buf, "\"thp\":\"always\"}\n# vm (boot 2): "
			       "kernel 6.1.0-57-amd64, "));
	fclose(f);
}

/* Three boots of "expect A/memory.current ~ 30M" and friends. */
static void boots_fill(struct events *E)
{
	static const char *const lines[3][5] = {
		{ "{\"line\":3,\"kind\":\"show\",\"file\":\"A/memory.events\","
		  "\"value\":\"max 6\"}",
		  "{\"line\":4,\"kind\":\"expect\",\"ok\":true,"
		  "\"actual\":\"100\"}",
		  "{\"line\":5,\"kind\":\"error\",\"error\":\"EBUSY\"}",
		  "{\"line\":6,\"kind\":\"killed\",\"task\":\"t\"}", NULL },
		{ "{\"line\":3,\"kind\":\"show\",\"file\":\"A/memory.events\","
		  "\"value\":\"max 5\"}",
		  "{\"line\":4,\"kind\":\"expect\",\"ok\":false,"
		  "\"actual\":\"80\"}",
		  "{\"line\":5,\"kind\":\"error\",\"error\":\"EBUSY\"}",
		  NULL },
		{ "{\"line\":5,\"kind\":\"error\",\"error\":\"ENOENT\"}",
		  "{\"line\":3,\"kind\":\"show\",\"file\":\"A/memory.events\","
		  "\"value\":\"max 74\"}",
		  "{\"line\":4,\"kind\":\"expect\",\"ok\":true,"
		  "\"actual\":\"90\"}", NULL },
	};

	for (int b = 0; b < 3; b++)
		for (int i = 0; lines[b][i]; i++)
			events_add(&E[b], lines[b][i]);
}

static void test_items(void **state)
{
	struct events E[3] = { 0 };
	struct items I;
	char *v;
	int64_t min, max;

	(void)state;
	boots_fill(E);
	items_build(&I, E, 3);
	assert_int_equal(I.nr, 4);
	/* by line: show, expect, error, killed */
	assert_int_equal(I.v[0].kind, EV_SHOW);
	assert_string_equal(I.v[0].key, "max");
	v = item_value(&I.v[0], 3);
	assert_string_equal(v, "5 / 6 / 74");
	free(v);
	assert_true(item_range(&I.v[0], 3, &min, &max));
	assert_int_equal(min, 5);
	assert_int_equal(max, 74);

	assert_int_equal(I.v[1].kind, EV_EXPECT);
	assert_int_equal(I.v[1].held, 2);
	v = item_value(&I.v[1], 3);
	assert_string_equal(v, "80 / 90 / 100");
	free(v);

	assert_int_equal(I.v[2].kind, EV_ERROR);
	assert_null(item_common(&I.v[2], 3));
	v = item_value(&I.v[2], 3);
	assert_string_equal(v, "EBUSY (2 boots), ENOENT (1 boot)");
	free(v);

	assert_int_equal(I.v[3].kind, EV_KILLED);
	assert_int_equal(I.v[3].present, 1);
	v = item_value(&I.v[3], 3);
	assert_string_equal(v, "killed (on 1 of 3 boots)");
	free(v);
	items_free(&I);

	/* one boot: the plain value, as a single run prints it */
	items_build(&I, E, 1);
	v = item_value(&I.v[0], 1);
	assert_string_equal(v, "6");
	free(v);
	assert_string_equal(item_common(&I.v[2], 1), "EBUSY");
	items_free(&I);
	for (int b = 0; b < 3; b++)
		events_free(&E[b]);
}

static void test_items_print(void **state)
{
	static const char text[] =
		"mkdir A\n"
		"task t A\n"
		"show A/memory.events\n"
		"expect A/memory.current ~ 100 10%\n"
		"rmdir A\n"
		"t anon 1M\n";
	struct events E[3] = { 0 };
	struct scenario *s;
	struct items I;
	char buf[2048] = "";
	FILE *f = tmpfile();

	(void)state;
	assert_int_equal(scenario_parse(text, strlen(text), "t.scn", &s, NULL,
					0), 0);
	boots_fill(E);
	items_build(&I, E, 3);
	assert_int_equal(items_print(&I, s, false, f), 1);
	rewind(f);
	assert_true(fread(buf, 1, sizeof(buf) - 1, f) > 0);
	assert_string_equal(buf,
		"A/memory.events max 5 / 6 / 74\n"
		"FAIL A/memory.current ~ 100 10%: held on 2 of 3 boots, got "
		"80 / 90 / 100, want ~ 100 +-10% [line 4]\n"
		"rmdir A: EBUSY (2 boots), ENOENT (1 boot)\n"
		"t killed (on 1 of 3 boots)\n");
	fclose(f);

	f = tmpfile();
	items_print(&I, s, true, f);
	rewind(f);
	memset(buf, 0, sizeof(buf));
	assert_true(fread(buf, 1, sizeof(buf) - 1, f) > 0);
	assert_non_null(strstr(buf, "{\"line\":3,\"kind\":\"show\",\"file\":"
			       "\"A/memory.events\",\"key\":\"max\",\"boots\":3,"
			       "\"present\":3,\"values\":[6,5,74],"
			       "\"summary\":\"5 / 6 / 74\",\"min\":5,\"max\":74}\n"));
	assert_non_null(strstr(buf, "\"ok\":false,\"held\":2,"));
	assert_non_null(strstr(buf, "\"values\":[\"killed\",null,null]"));
	fclose(f);
	items_free(&I);
	for (int b = 0; b < 3; b++)
		events_free(&E[b]);
	scenario_free(s);
}

/* Failed plain writes: the error events of "write" lines, per boot. */
static void test_write_failures(void **state)
{
	static const char text[] =
		"mkdir A\n"
		"write A/memroy.max 1M\n"
		"mkdir A/B\n"
		"write A/memory.max ten\n"
		"expect write A/memory.max foo fails EINVAL\n";
	static const char *const lines[2][4] = {
		{ "{\"line\":2,\"kind\":\"error\",\"error\":\"ENOENT\"}",
		  "{\"line\":3,\"kind\":\"error\",\"error\":\"EEXIST\"}",
		  "{\"line\":4,\"kind\":\"error\",\"error\":\"EINVAL\"}",
		  "{\"line\":5,\"kind\":\"expect\",\"ok\":true,"
		  "\"actual\":\"EINVAL\"}" },
		{ "{\"line\":2,\"kind\":\"error\",\"error\":\"ENOENT\"}",
		  "{\"line\":4,\"kind\":\"error\",\"error\":\"EBUSY\"}",
		  NULL, NULL },
	};
	struct events E[2] = { 0 };
	struct scenario *s;
	struct items I;
	char buf[2048] = "";
	FILE *f = tmpfile();

	(void)state;
	assert_int_equal(scenario_parse(text, strlen(text), "t.scn", &s, NULL,
					0), 0);
	for (int b = 0; b < 2; b++)
		for (int i = 0; i < 4 && lines[b][i]; i++)
			events_add(&E[b], lines[b][i]);
	/* mkdir's error and the expect are not failed writes */
	assert_true(event_write_failed(&E[0].v[0], s));
	assert_false(event_write_failed(&E[0].v[1], s));
	assert_false(event_write_failed(&E[0].v[3], s));
	assert_int_equal(events_write_failures(&E[0], s), 2);
	assert_ptr_equal(events_cmd_at(s, 4), &s->cmds[3]);
	assert_null(events_cmd_at(s, 9));

	items_build(&I, E, 2);
	assert_int_equal(items_write_failures(&I, s, "memcg kernel", f), 2);
	rewind(f);
	assert_true(fread(buf, 1, sizeof(buf) - 1, f) > 0);
	assert_string_equal(buf,
		"memcg kernel: t.scn:2: write A/memroy.max 1M: ENOENT (No such "
		"file or directory)\n"
		"memcg kernel (boot 1 of 2): t.scn:4: write A/memory.max ten: "
		"EINVAL (Invalid argument)\n"
		"memcg kernel (boot 2 of 2): t.scn:4: write A/memory.max ten: "
		"EBUSY (Device or resource busy)\n");
	fclose(f);
	items_free(&I);
	for (int b = 0; b < 2; b++)
		events_free(&E[b]);
	scenario_free(s);
}

/* What oracle_compare_print() prints on stdout, malloc'd; *@ret its status. */
static char *compare_output(const struct oracle_opts *o,
			    const struct scenario *s, struct events *E,
			    const struct oracle_boots *b, int *ret)
{
	FILE *f = tmpfile();
	int saved = dup(1);
	char *buf;
	long len;

	assert_non_null(f);
	fflush(stdout);
	assert_true(dup2(fileno(f), 1) >= 0);
	*ret = oracle_compare_print(o, s, E, b);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	len = ftell(f);
	buf = calloc(1, (size_t)len + 1);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return buf;
}

/*
 * memcg compare's table as text, JSON (typed) and KTAP, from events as
 * the engine and the player print them: an expect both hold, one they
 * disagree on, a shown value, a failed write on both sides.
 */
static void test_compare_print(void **state)
{
	static const char text[] =
		"mkdir A\n"
		"write A/memroy.max 1M\n"
		"show A/memory.current\n"
		"expect A/memory.current > 0\n"
		"expect A/memory.events max > 0\n";
	static const char *const eng[] = {
		"{\"line\":2,\"kind\":\"error\",\"cmd\":\"write A/memroy.max\","
		"\"error\":\"ENOENT\"}",
		"{\"line\":3,\"kind\":\"show\",\"file\":\"A/memory.current\","
		"\"key\":null,\"value\":4096}",
		"{\"line\":4,\"kind\":\"expect\",\"ok\":true,\"actual\":4096}",
		"{\"line\":5,\"kind\":\"expect\",\"ok\":true,\"actual\":3}",
	};
	static const char *const ker[] = {
		"{\"line\":2,\"kind\":\"error\",\"cmd\":\"write A/memroy.max\","
		"\"error\":\"ENOENT\"}",
		"{\"line\":3,\"kind\":\"show\",\"file\":\"A/memory.current\","
		"\"key\":null,\"value\":8192}",
		"{\"line\":4,\"kind\":\"expect\",\"ok\":true,\"actual\":8192}",
		"{\"line\":5,\"kind\":\"expect\",\"ok\":false,\"actual\":0}",
	};
	char vm[1][512] = { "kernel=6.1.0-57-amd64 ram_mb=1280 swap=none cpus=2" };
	struct events E = { 0 }, K = { 0 };
	struct oracle_boots b = { .n = 1, .ev = &K, .vm = vm,
				  .kver = "6.1.0-57-amd64" };
	struct oracle_opts o;
	struct scenario *s;
	char *out;
	int ret;

	(void)state;
	assert_int_equal(scenario_parse(text, strlen(text), "t.scn", &s, NULL,
					0), 0);
	for (size_t i = 0; i < 4; i++) {
		events_add(&E, eng[i]);
		events_add(&K, ker[i]);
	}
	assert_int_equal(parse(true, &o, "compare", "t.scn", "--tap", NULL), 0);
	assert_true(o.tap);
	out = compare_output(&o, s, &E, &b, &ret);
	assert_int_equal(ret, 1);
	assert_string_equal(out,
		"KTAP version 1\n"
		"1..3\n"
		"# vm: kernel 6.1.0-57-amd64, 1280M RAM (MemTotal 0M), no swap, "
		"2 CPUs, HZ ?, lru_gen ?, thp ?\n"
		"# engine and Linux 6.1.0-57-amd64\n"
		"#   line 2: write A/memroy.max 1M: engine ENOENT, kernel ENOENT\n"
		"not ok 1 line 2: write A/memroy.max 1M\n"
		"# * line 3: A/memory.current: engine 4096, kernel 8192\n"
		"#   line 4: expect A/memory.current > 0: engine ok 4096, kernel "
		"ok 8192\n"
		"ok 2 line 4: expect A/memory.current > 0\n"
		"# ! line 5: expect A/memory.events max > 0: engine ok 3, kernel "
		"FAIL 0\n"
		"not ok 3 line 5: expect A/memory.events max > 0\n"
		"# engine: 2 of 2 expects held; kernel: 1 of 2\n"
		"# 4 rows: 1 disagree (!), 1 shown values differ (*), 0 on one "
		"side only (?)\n"
		"# failed writes: engine 1, kernel 1\n");
	free(out);
	/* JSON: the shown numbers are numbers */
	for (size_t i = 0; i < E.nr; i++)
		E.v[i].used = false;
	assert_int_equal(parse(true, &o, "compare", "t.scn", "--json", NULL), 0);
	out = compare_output(&o, s, &E, &b, &ret);
	assert_int_equal(ret, 1);
	assert_non_null(strstr(out, "{\"line\":3,\"what\":\"A/memory.current\","
			       "\"engine\":4096,\"kernel\":8192,\"mark\":"
			       "\"shown-differ\"}\n"));
	assert_non_null(strstr(out, "\"engine\":\"ok 3\",\"kernel\":\"FAIL 0\","
			       "\"mark\":\"differ\"}\n"));
	free(out);
	/* --tap and --json are two outputs */
	assert_int_equal(parse(true, &o, "compare", "t.scn", "--tap", "--json",
			       NULL), 2);
	assert_int_equal(parse(false, &o, "kernel", "t.scn", "--tap", NULL), 2);
	events_free(&E);
	events_free(&K);
	scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonl_event),
		cmocka_unit_test(test_jsonl_escapes),
		cmocka_unit_test(test_jsonl_null),
		cmocka_unit_test(test_events_formats),
		cmocka_unit_test(test_jsonl_malformed),
		cmocka_unit_test(test_cpio_roundtrip),
		cmocka_unit_test(test_cpio_missing_file),
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_args_errors),
		cmocka_unit_test(test_args_vm),
		cmocka_unit_test(test_vm_line),
		cmocka_unit_test(test_items),
		cmocka_unit_test(test_items_print),
		cmocka_unit_test(test_write_failures),
		cmocka_unit_test(test_compare_print),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
