// SPDX-License-Identifier: MIT
/*
 * Engine teardown with folios left in the swap cache while the slot
 * return caches are active: the teardown frees those folios' slots, which
 * must go back to the free map with their records and charges, not into
 * a return cache that nobody drains any more (swapoff turns the caches
 * off first). The engine reports a slot, cgroup or frame left over on
 * stderr ("libmemcg: ..."); there must be none.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixture.h"
#include "mm/swapfile.h"

#define NR_CACHED 100

/* memcg_engine_destroy(@e), what it wrote on stderr in @buf. */
static size_t destroy_capture(struct memcg_engine *e, char *buf, size_t size)
{
	FILE *f = tmpfile();
	int saved = dup(2);
	size_t n;

	assert_non_null(f);
	assert_true(saved >= 0);
	fflush(stderr);
	assert_true(dup2(fileno(f), 2) == 2);
	memcg_engine_destroy(e);
	fflush(stderr);
	assert_true(dup2(saved, 2) == 2);
	close(saved);
	rewind(f);
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = 0;
	return n;
}

static void teardown_with_cache(enum memcg_mode mode)
{
	struct memcg_config cfg;
	struct memcg_engine *e;
	struct mem_cgroup *a;
	struct audit_hold hold;
	char said[4096];
	int i;

	memcg_config_init(&cfg);
	cfg.mode = mode;
	cfg.memory_bytes = 16 << 20;
	cfg.nr_cpus = 2;
	cfg.deterministic = true;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	/* 2,048 slots: the return caches turn on above 5 x 64 per CPU */
	assert_int_equal(memcg_swapon(e, NULL, 8 << 20), 0);
	assert_int_equal(memcg_mkdir(e, "A", &a), 0);
	for (i = 0; i < NR_CACHED; i++) {
		struct folio *folio = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
		memcg_swp_entry_t entry;

		assert_non_null(folio);
		assert_int_equal(memcg_charge(e, folio, a, 0), 0);
		/* in the swap cache, unmapped, held by the cache alone */
		assert_int_equal(memcg_swap_alloc(e, folio, &entry), 0);
		memcg_folio_put(e, folio);
	}
	assert_true(atomic_load(&e->swap->slots_cache_active));
	hold = (struct audit_hold){ a, 1 };
	assert_int_equal(memcg_audit(e, &hold, 1), 0);
	memcg_put(a);
	if (destroy_capture(e, said, sizeof(said)))
		fprintf(stderr, "engine teardown said:\n%s", said);
	assert_string_equal(said, "");
}

static void test_teardown_v2(void **state)
{
	(void)state;
	teardown_with_cache(MEMCG_MODE_V2);
}

static void test_teardown_v1(void **state)
{
	(void)state;
	teardown_with_cache(MEMCG_MODE_V1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_teardown_v2),
		cmocka_unit_test(test_teardown_v1),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
