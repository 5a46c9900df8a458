// SPDX-License-Identifier: MIT
/*
 * The swap file changed underneath a running engine: truncated, grown
 * back (zeros), or written by someone else. The kernel forbids that to an
 * active swap file (ETXTBSY) and fails a read it cannot satisfy with an
 * I/O error, the faulting task getting SIGBUS. Here each swap-in of a page
 * that does not read back as written fails with -EIO, charges nothing,
 * marks its slot bad (memcg_swap_nr_bad(); the slot never returns to the
 * free map), and the simulator kills the faulting task; the entry's swap
 * charge goes when its page tables do. No charge or byte is lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixture.h"
#include "memcg/sim.h"
#include "mm/swapfile.h"

#define PG 4096L
#define NR 100
#define SWAP_BYTES (1L << 20)	/* 256 slots */

struct ctx {
	struct fixture *f;
	char dir[64], path[96];
};

static int setup(void **state)
{
	struct memcg_config cfg;
	struct ctx *c = calloc(1, sizeof(*c));
	const char *tmp = getenv("TMPDIR");

	assert_non_null(c);
	snprintf(c->dir, sizeof(c->dir), "%s/memcg-swapfile-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(c->dir));
	snprintf(c->path, sizeof(c->path), "%s/swap", c->dir);
	memcg_config_init(&cfg);
	cfg.memory_bytes = 16 << 20;
	cfg.nr_cpus = 2;
	cfg.deterministic = true;
	c->f = fixture_new(&cfg, "A", "B");
	assert_int_equal(memcg_swapon(c->f->e, c->path, SWAP_BYTES), 0);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	fixture_release(c->f);
	fixture_free(c->f);
	unlink(c->path);
	rmdir(c->dir);
	free(c);
	return 0;
}

/* Another process truncates the file, then grows it back: zeros. */
static void truncate_and_grow(struct ctx *c)
{
	assert_int_equal(truncate(c->path, 0), 0);
	assert_int_equal(truncate(c->path, SWAP_BYTES), 0);
}

/* A page of A filled with a pattern, swapped out. */
static memcg_swp_entry_t swapped_out(struct fixture *f, int i)
{
	struct folio *folio = memcg_folio_alloc(f->e, MEMCG_FOLIO_ANON, 0);
	memcg_swp_entry_t entry;

	assert_non_null(folio);
	assert_int_equal(memcg_charge(f->e, folio, f->a, 0), 0);
	memset(memcg_folio_data(f->e, folio), 0x40 + i % 64, PG);
	assert_int_equal(memcg_swap_out(f->e, folio, &entry), 0);
	return entry;
}

static long mem(struct mem_cgroup *m)
{
	return page_counter_read(&m->memory);
}

static long swp(struct mem_cgroup *m)
{
	return page_counter_read(&m->swap);
}

/* 100 of 100 swap-ins fail; the slots are bad, never handed out again. */
static void test_truncate_grow(void **state)
{
	struct ctx *c = *state;
	struct fixture *f = c->f;
	memcg_swp_entry_t entry[NR], fill[SWAP_BYTES / PG];
	struct folio *folio;
	long nr_free = memcg_swap_nr_free(f->e), n;
	int i;

	for (i = 0; i < NR; i++)
		entry[i] = swapped_out(f, i);
	/* the first one read back before anything happens: intact */
	assert_int_equal(memcg_swapin(f->e, entry[0], f->a, 0, &folio), 0);
	assert_int_equal(((unsigned char *)memcg_folio_data(f->e, folio))[7], 0x40);
	memcg_folio_put(f->e, folio);	/* in the swap cache alone now */
	truncate_and_grow(c);
	for (i = 1; i < NR; i++)
		assert_int_equal(memcg_swapin(f->e, entry[i], f->a, 0, &folio),
				 -EIO);
	assert_int_equal(memcg_swap_nr_bad(f->e), NR - 1);
	/* a second fault of a bad slot fails at once, counted once */
	assert_int_equal(memcg_swapin(f->e, entry[1], f->a, 0, &folio), -EIO);
	assert_int_equal(memcg_swap_nr_bad(f->e), NR - 1);
	/* nothing charged for the failed reads; swap still charged */
	memcg_drain_all_stock(f->a);
	assert_int_equal(mem(f->a), 1);		/* entry[0]'s, cached */
	assert_int_equal(swp(f->a), NR);
	fixture_audit(f);
	for (i = 0; i < NR; i++)
		assert_int_equal(memcg_swap_free(f->e, entry[i]), 0);
	memcg_drain_all_stock(f->a);
	assert_int_equal(mem(f->a), 0);
	assert_int_equal(swp(f->a), 0);
	assert_int_equal(memcg_swap_free(f->e, entry[1]), -EINVAL);
	assert_int_equal(memcg_swap_dup(f->e, entry[1]), -EINVAL);
	assert_int_equal(memcg_swapin(f->e, entry[1], f->a, 0, &folio), -EINVAL);
	assert_int_equal(memcg_swap_nr_free(f->e), nr_free - (NR - 1));
	fixture_audit(f);
	/* every slot but the bad ones can be had */
	for (n = 0; memcg_swap_nr_free(f->e) > 0; n++)
		fill[n] = swapped_out(f, (int)n);
	assert_int_equal(n, nr_free - (NR - 1));
	fixture_audit(f);
	while (n--)
		assert_int_equal(memcg_swap_free(f->e, fill[n]), 0);
	assert_int_equal(memcg_swap_nr_free(f->e), nr_free - (NR - 1));
	fixture_audit(f);
}

/* Truncated and not grown back: a read past the end. */
static void test_truncated(void **state)
{
	struct ctx *c = *state;
	struct fixture *f = c->f;
	memcg_swp_entry_t entry = swapped_out(f, 1);
	struct folio *folio;

	assert_int_equal(truncate(c->path, 0), 0);
	assert_int_equal(memcg_swapin(f->e, entry, f->a, 0, &folio), -EIO);
	assert_int_equal(memcg_swap_nr_bad(f->e), 1);
	assert_int_equal(memcg_swap_free(f->e, entry), 0);
	assert_int_equal(swp(f->a), 0);
	fixture_audit(f);
}

/* Someone else writes one slot: that page alone fails. */
static void test_overwritten(void **state)
{
	struct ctx *c = *state;
	struct fixture *f = c->f;
	memcg_swp_entry_t a = swapped_out(f, 1), b = swapped_out(f, 2);
	char junk[PG];
	struct folio *folio;
	int fd = open(c->path, O_WRONLY);

	assert_true(fd >= 0);
	memset(junk, 0x5a, sizeof(junk));
	assert_int_equal(pwrite(fd, junk, PG, (off_t)(a.val - 1) * PG), PG);
	close(fd);
	assert_int_equal(memcg_swapin(f->e, a, f->a, 0, &folio), -EIO);
	assert_int_equal(memcg_swapin(f->e, b, f->a, 0, &folio), 0);
	assert_int_equal(((unsigned char *)memcg_folio_data(f->e, folio))[100],
			 0x42);
	assert_int_equal(memcg_swap_nr_bad(f->e), 1);
	assert_int_equal(memcg_swap_free(f->e, a), 0);
	assert_int_equal(memcg_swap_free(f->e, b), 0);
	assert_int_equal(memcg_folio_free_swap(f->e, folio, b), 0);
	memcg_folio_put(f->e, folio);
	assert_int_equal(swp(f->a), 0);
	fixture_audit(f);
}

/*
 * A task whose pages were swapped out faults them back after the file
 * was truncated and grown back: SIGBUS kills it at the first, its memory
 * and swap charges all go, one slot is bad.
 */
static void test_task_sigbus(void **state)
{
	struct ctx *c = *state;
	struct fixture *f = c->f;
	long nr_free = memcg_swap_nr_free(f->e);
	struct memcg_task *t;

	assert_int_equal(memcg_task_create(f->e, "t", f->a, &t), 0);
	assert_int_equal(memcg_task_anon(t, NR * PG), 0);
	assert_int_equal(memcg_write(f->a, "memory.reclaim", "400K"), 0);
	assert_int_equal(memcg_task_swap_pages(t), NR);
	truncate_and_grow(c);
	assert_int_equal(memcg_task_touch(t, NR * PG), -EIO);
	assert_true(memcg_task_sigbus(t));
	assert_false(memcg_task_killed(t));	/* not by the OOM killer */
	assert_false(memcg_task_alive(t));
	assert_int_equal(memcg_task_touch(t, PG), -ESRCH);
	assert_int_equal(memcg_swap_nr_bad(f->e), 1);
	memcg_drain_all_stock(f->a);
	assert_int_equal(mem(f->a), 0);
	assert_int_equal(swp(f->a), 0);
	assert_int_equal(memcg_swap_nr_free(f->e), nr_free - 1);
	fixture_audit(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_truncate_grow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overwritten, setup, teardown),
		cmocka_unit_test_setup_teardown(test_task_sigbus, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
