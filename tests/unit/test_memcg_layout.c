// SPDX-License-Identifier: MIT
/*
 * What a cgroup costs (the layout in src/core/memcontrol.h): struct
 * mem_cgroup within 1 KiB, v1 state only on v1 engines, the arrays only
 * parents and contended cgroups need left out of leaves, and the heap a
 * mkdir takes, split into its per-cgroup and per-CPU parts.
 */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "core/objcg.h"
#include "core/rstat.h"

#include "audit.h"
#include "fixture.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define HEAP_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define HEAP_SANITIZED 1
#endif
#endif

_Static_assert(sizeof(struct mem_cgroup) <= 1024,
	       "struct mem_cgroup grew past 1 KiB");
/* the layout in memcontrol.h: the struct and its vmstats, 824 + 16 */
_Static_assert(sizeof(struct mem_cgroup) + sizeof(struct memcg_vmstats) <=
	       840, "struct mem_cgroup + vmstats grew past 840 bytes");
/* a parent's sums and pending deltas, apart (rstat.h) */
_Static_assert(sizeof(struct memcg_vmstats_sums) == 2 * 8 * MEMCG_NR_STAT,
	       "struct memcg_vmstats_sums is not two arrays of items");
/* the memory counter has line 1 of the (cache-aligned) struct to itself */
_Static_assert(offsetof(struct mem_cgroup, memory) == 64,
	       "the memory counter moved off its cache line");
/* only the memory counter has min/low (struct page_counter_prot) */
_Static_assert(sizeof(struct page_counter) == 64,
	       "struct page_counter is not one cache line");
_Static_assert(sizeof(struct obj_cgroup) <= 88,
	       "struct obj_cgroup grew past a 96-byte malloc chunk");

/*
 * Heap per leaf cgroup that is not per CPU, malloc's headers included:
 * struct mem_cgroup with vmstats (no sums: a leaf's are its rstat slots,
 * rstat.h) and the name, the objcg, the parent's name table; bench_charge
 * d prints the parts. Measured 1,016 B on x86-64 glibc 2.36 (was 1,383
 * with the sums in every cgroup, 1,551 with a 128-byte swap counter and
 * vmstats, name, rstat slots and the objcg's per-CPU part apart).
 */
#define LEAF_HEAP_MAX 1024
/*
 * What a cgroup's first child adds to it (not to the child): the sums and
 * pending deltas (784 with malloc's header), stat_dead (400), the name
 * table. Measured 1,243 B: a parent is 2,258 B + its per-CPU part.
 */
#define PARENT_EXTRA_HEAP_MAX 1264
/* per CPU: memcg_pcpu, one rstat slot, the objcg's per-CPU part (960) */
#define PER_CPU_HEAP_MAX 1024
#define NR_LEAVES 256

static struct memcg_engine *engine_new(enum memcg_mode mode, unsigned nr_cpus)
{
	struct memcg_config cfg;
	struct memcg_engine *e;

	test_config_init(&cfg, 64 << 20);
	cfg.mode = mode;
	cfg.nr_cpus = nr_cpus;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	memcg_set_cpu(0);
	return e;
}

static void destroy(struct memcg_engine *e)
{
	assert_int_equal(memcg_audit(e, NULL, 0), 0);
	memcg_engine_destroy(e);
	memcg_set_cpu(-1);
}

static struct mem_cgroup *mkdir_get(struct memcg_engine *e, const char *path)
{
	struct mem_cgroup *m;

	assert_int_equal(memcg_mkdir(e, path, &m), 0);
	return m;
}

static bool leaf_arrays_shared(struct mem_cgroup *m)
{
	return atomic_load(&m->stat_shared) == memcg_stat_zero &&
	       atomic_load(&m->stat_dead) == memcg_stat_zero &&
	       atomic_load(&m->vmstats->sums) == NULL;
}

/* v1 state exists on v1 engines only; leaves have no arrays of their own. */
static void test_lazy_parts(void **state)
{
	enum memcg_mode modes[] = { MEMCG_MODE_V2, MEMCG_MODE_V1 };
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct memcg_engine *e = engine_new(modes[i], 1);
		struct mem_cgroup *a = mkdir_get(e, "a");

		assert_int_equal(a->v1 != NULL, modes[i] == MEMCG_MODE_V1);
		assert_int_equal((uintptr_t)a % 64, 0);	/* memcg_tree.c */
		assert_true(leaf_arrays_shared(a));
		/* the per-CPU path leaves stat_shared alone */
		mod_memcg_state(a, MEMCG_PGFAULT, 3);
		assert_true(leaf_arrays_shared(a));
		assert_int_equal(memcg_page_state_local(a, MEMCG_PGFAULT), 3);
		/* a first child gives a its dead array and its sums */
		assert_int_equal(memcg_mkdir(e, "a/b", NULL), 0);
		assert_ptr_not_equal(atomic_load(&a->stat_dead), memcg_stat_zero);
		assert_non_null(atomic_load(&a->vmstats->sums));
		assert_ptr_equal(atomic_load(&a->stat_shared), memcg_stat_zero);
		memcg_put(a);
		destroy(e);
	}
}

/* The shared counters appear at the first update without the lock. */
static void test_shared_on_demand(void **state)
{
	struct memcg_engine *e = engine_new(MEMCG_MODE_V2, 2);
	struct mem_cgroup *root = memcg_root(e), *a = mkdir_get(e, "a");

	(void)state;
	mod_memcg_state(a, MEMCG_PGFAULT, 5);
	memcg_cpu_lock(e, 0);
	mod_memcg_state(a, MEMCG_PGFAULT, 4);	/* the lock is busy */
	memcg_cpu_unlock(e, 0);
	assert_ptr_not_equal(atomic_load(&a->stat_shared), memcg_stat_zero);
	assert_int_equal(atomic_load(&a->stat_shared[MEMCG_PGFAULT]), 4);
	assert_int_equal(memcg_page_state_local(a, MEMCG_PGFAULT), 9);
	assert_int_equal(memcg_page_state(root, MEMCG_PGFAULT), 9);
	assert_true(memcg_stat_zero[MEMCG_PGFAULT] == 0);
	memcg_put(a);
	destroy(e);
}

/* A released leaf's own values reach its parent's stat_dead, exactly. */
static void test_dead_fold(void **state)
{
	struct memcg_engine *e = engine_new(MEMCG_MODE_V2, 1);
	struct mem_cgroup *a = mkdir_get(e, "a"), *b = mkdir_get(e, "a/b");

	(void)state;
	mod_memcg_state(b, MEMCG_PGMAJFAULT, 6);
	assert_int_equal(memcg_rmdir(e, "a/b"), 0);
	memcg_put(b);
	mem_cgroup_release_pending(e);
	assert_int_equal(atomic_load(&a->stat_dead[MEMCG_PGMAJFAULT]), 6);
	assert_int_equal(memcg_page_state_local(a, MEMCG_PGMAJFAULT), 0);
	assert_int_equal(memcg_page_state(a, MEMCG_PGMAJFAULT), 6);
	assert_true(memcg_stat_zero[MEMCG_PGMAJFAULT] == 0);
	memcg_put(a);
	destroy(e);
}

/* Heap growth per leaf over NR_LEAVES mkdirs under one parent. */
static double heap_per_leaf(enum memcg_mode mode, unsigned nr_cpus)
{
	struct memcg_engine *e = engine_new(mode, nr_cpus);
	char path[32];
	size_t before;
	double per;
	int i;

	assert_int_equal(memcg_mkdir(e, "p", NULL), 0);
	assert_int_equal(memcg_mkdir(e, "p/warm", NULL), 0);
	before = mallinfo2().uordblks;
	for (i = 0; i < NR_LEAVES; i++) {
		snprintf(path, sizeof(path), "p/c%d", i);
		assert_int_equal(memcg_mkdir(e, path, NULL), 0);
	}
	per = (double)(mallinfo2().uordblks - before) / NR_LEAVES;
	destroy(e);
	return per;
}

/*
 * Heap growth per first child of NR_LEAVES leaves: the child's own heap
 * and what its parent allocates for it.
 */
static double heap_per_first_child(unsigned nr_cpus)
{
	struct memcg_engine *e = engine_new(MEMCG_MODE_V2, nr_cpus);
	char path[32];
	size_t before;
	double per;
	int i;

	assert_int_equal(memcg_mkdir(e, "p", NULL), 0);
	assert_int_equal(memcg_mkdir(e, "p/warm", NULL), 0);
	for (i = 0; i < NR_LEAVES; i++) {
		snprintf(path, sizeof(path), "p/c%d", i);
		assert_int_equal(memcg_mkdir(e, path, NULL), 0);
	}
	before = mallinfo2().uordblks;
	for (i = 0; i < NR_LEAVES; i++) {
		snprintf(path, sizeof(path), "p/c%d/g", i);
		assert_int_equal(memcg_mkdir(e, path, NULL), 0);
	}
	per = (double)(mallinfo2().uordblks - before) / NR_LEAVES;
	destroy(e);
	return per;
}

/*
 * The per-CPU part is the growth from 1 to 3 CPUs, halved; the rest is
 * per cgroup. v1 adds struct memcg_v1 and its malloc header.
 */
static void test_heap_per_cgroup(void **state)
{
	double v2_1, v2_3, v1_1, per_cpu, leaf, parent_extra;

	(void)state;
#ifdef HEAP_SANITIZED
	skip();		/* the sanitizer's allocator: mallinfo2() says nothing */
#endif
	v2_1 = heap_per_leaf(MEMCG_MODE_V2, 1);
	v2_3 = heap_per_leaf(MEMCG_MODE_V2, 3);
	v1_1 = heap_per_leaf(MEMCG_MODE_V1, 1);
	per_cpu = (v2_3 - v2_1) / 2;
	leaf = v2_1 - per_cpu;
	parent_extra = heap_per_first_child(1) - v2_1;
	printf("# heap per leaf: %.0f B + %.0f B per CPU (v2); v1 +%.0f B\n",
	       leaf, per_cpu, v1_1 - v2_1);
	printf("# a parent: %.0f B more (its first child's sums, stat_dead, "
	       "names): %.0f B + per CPU\n", parent_extra,
	       leaf + parent_extra);
	assert_true(per_cpu >= sizeof(struct memcg_pcpu) +
				sizeof(struct memcg_rstat_cpu));
	assert_true(per_cpu <= PER_CPU_HEAP_MAX);
	assert_true(leaf >= sizeof(struct mem_cgroup) +
			    sizeof(struct memcg_vmstats));
	assert_true(leaf <= LEAF_HEAP_MAX);
	assert_true(v1_1 - v2_1 >= sizeof(struct memcg_v1));
	assert_true(v1_1 - v2_1 <= sizeof(struct memcg_v1) + 32);
	assert_true(parent_extra >= sizeof(struct memcg_vmstats_sums) +
				    MEMCG_NR_STAT * sizeof(atomic_long));
	assert_true(parent_extra <= PARENT_EXTRA_HEAP_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lazy_parts),
		cmocka_unit_test(test_shared_on_demand),
		cmocka_unit_test(test_dead_fold),
		cmocka_unit_test(test_heap_per_cgroup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
