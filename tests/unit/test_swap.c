// SPDX-License-Identifier: MIT
/*
 * Swap: swap-out moves the charge to the entry, the record names the owner
 * by id, swap-in charges the recorded owner (or the faulting cgroup when
 * the owner is offline); v2 and v1 accounting; failures lose nothing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "mm/swapfile.h"

#define PG 4096L

static int setup_policy(void **state, enum memcg_mode mode,
			enum memcg_policy policy)
{
	struct memcg_config cfg;
	struct fixture *f;

	memcg_config_init(&cfg);
	cfg.mode = mode;
	cfg.policy = policy;
	cfg.memory_bytes = 16 << 20;
	cfg.nr_cpus = 2;
	cfg.huge_order = 4;
	cfg.deterministic = true;
	f = fixture_new(&cfg, "A", "B");
	assert_int_equal(memcg_swapon(f->e, NULL, 1 << 20), 0);
	assert_int_equal(memcg_swapon(f->e, NULL, 1 << 20), -EBUSY);
	*state = f;
	return 0;
}

static int setup_v2(void **state)
{
	return setup_policy(state, MEMCG_MODE_V2, MEMCG_POLICY_REPARENT);
}

static int setup_v1(void **state)
{
	return setup_policy(state, MEMCG_MODE_V1, MEMCG_POLICY_REPARENT);
}

/* The mainline kernel's destruction: records pin the removed cgroup. */
static int setup_v2_kernel(void **state)
{
	return setup_policy(state, MEMCG_MODE_V2, MEMCG_POLICY_KERNEL);
}

static int setup_v1_kernel(void **state)
{
	return setup_policy(state, MEMCG_MODE_V1, MEMCG_POLICY_KERNEL);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fixture_release(f);
	assert_int_equal(memcg_swap_nr_free(f->e), 256);
	fixture_free(f);
	return 0;
}

static uint64_t checksum(const unsigned char *p, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	while (len--)
		h = (h ^ *p++) * 1099511628211ULL;
	return h;
}

/* An anon folio charged to @m, filled with a pattern; returns its sum. */
static struct folio *anon(struct fixture *f, struct mem_cgroup *m,
			  unsigned order, uint64_t *sum)
{
	struct folio *folio = memcg_folio_alloc(f->e, MEMCG_FOLIO_ANON, order);
	unsigned char *data;
	size_t i, len;

	assert_non_null(folio);
	assert_int_equal(memcg_charge(f->e, folio, m, 0), 0);
	data = memcg_folio_data(f->e, folio);
	len = (size_t)memcg_folio_nr_pages(folio) * PG;
	for (i = 0; i < len; i++)
		data[i] = (unsigned char)(i * 7 + (uintptr_t)folio);
	if (sum)
		*sum = checksum(data, len);
	return folio;
}

static long mem(struct mem_cgroup *m)
{
	return page_counter_read(&m->memory);
}

/* Swap charged to @m: the swap counter (v2), memsw beyond memory (v1). */
static long swp(struct mem_cgroup *m)
{
	if (m->engine->v1)
		return page_counter_read(&m->memsw) - page_counter_read(&m->memory);
	return page_counter_read(&m->swap);
}

static long event(struct mem_cgroup *m, const char *file, const char *key)
{
	char buf[4096], *p;	/* memory.stat is over 1 KiB */

	assert_true(memcg_read(m, file, buf, sizeof(buf)) > 0);
	p = strstr(buf, key);
	assert_non_null(p);
	return atol(p + strlen(key) + 1);
}

/* v2: out, in, same bytes; the charge ends where the kernel puts it. */
static void test_roundtrip_v2(void **state)
{
	struct fixture *f = *state;
	uint64_t sum;
	struct folio *folio = anon(f, f->a, 0, &sum);
	memcg_swp_entry_t entry;

	memcg_drain_all_stock(f->a);
	assert_int_equal(mem(f->a), 1);
	assert_int_equal(memcg_swap_out(f->e, folio, &entry), 0);
	fixture_audit(f);
	assert_int_equal(mem(f->a), 0);
	assert_int_equal(swp(f->a), 1);
	assert_int_equal(event(f->a, "memory.stat", "pswpout"), 1);
	assert_int_equal(memcg_swapin(f->e, entry, f->b, 0, &folio), 0);
	fixture_audit(f);
	assert_ptr_equal(memcg_folio_memcg(f->e, folio), f->a); /* the owner */
	assert_int_equal(checksum(memcg_folio_data(f->e, folio), PG), sum);
	memcg_drain_all_stock(f->a);
	/* in the swap cache: counted in memory and in swap */
	assert_int_equal(mem(f->a), 1);
	assert_int_equal(swp(f->a), 1);
	assert_int_equal(event(f->a, "memory.stat", "swapcached"), PG);
	assert_int_equal(memcg_swap_free(f->e, entry), 0);	/* pte now maps it */
	assert_int_equal(swp(f->a), 1);			/* still cached */
	fixture_audit(f);
	assert_int_equal(memcg_folio_free_swap(f->e, folio, entry), 0);
	assert_int_equal(swp(f->a), 0);
	assert_int_equal(mem(f->a), 1);
	fixture_audit(f);
	memcg_folio_put(f->e, folio);
	assert_int_equal(mem(f->a), 0);
	fixture_audit(f);
}

/* v1: swap-out uncharges memory, memsw stays with the entry. */
static void test_roundtrip_v1(void **state)
{
	struct fixture *f = *state;
	uint64_t sum;
	struct folio *folio = anon(f, f->a, 0, &sum);
	memcg_swp_entry_t entry;

	memcg_drain_all_stock(f->a);
	assert_int_equal(page_counter_read(&f->a->memsw), 1);
	assert_int_equal(memcg_swap_out(f->e, folio, &entry), 0);
	fixture_audit(f);
	assert_int_equal(mem(f->a), 0);
	assert_int_equal(page_counter_read(&f->a->memsw), 1);
	assert_int_equal(event(f->a, "memory.stat", "swap"), PG);
	assert_int_equal(memcg_swapin(f->e, entry, f->b, 0, &folio), 0);
	fixture_audit(f);
	assert_int_equal(checksum(memcg_folio_data(f->e, folio), PG), sum);
	memcg_drain_all_stock(f->a);
	/* the entry's duplicate was dropped: memsw = memory */
	assert_int_equal(mem(f->a), 1);
	assert_int_equal(page_counter_read(&f->a->memsw), 1);
	assert_int_equal(memcg_swap_free(f->e, entry), 0);
	assert_int_equal(memcg_folio_free_swap(f->e, folio, entry), 0);
	fixture_audit(f);
	memcg_folio_put(f->e, folio);
	assert_int_equal(page_counter_read(&f->a->memsw), 0);
	fixture_audit(f);
}

/* memory.swap.max reached: refused, the page stays, events counted. */
static void test_swap_max_refusal(void **state)
{
	struct fixture *f = *state;
	uint64_t sum;
	struct folio *folio = anon(f, f->a, 0, &sum);
	memcg_swp_entry_t entry;

	assert_int_equal(memcg_write(f->a, "memory.swap.max", "0"), 0);
	assert_int_equal(memcg_swap_out(f->e, folio, &entry), -ENOMEM);
	assert_int_equal(entry.val, 0);
	assert_ptr_equal(memcg_folio_memcg(f->e, folio), f->a);
	assert_int_equal(folio_ref_count(folio), 1);
	assert_int_equal(checksum(memcg_folio_data(f->e, folio), PG), sum);
	assert_int_equal(event(f->a, "memory.swap.events", "max"), 1);
	assert_int_equal(event(f->a, "memory.swap.events", "fail"), 1);
	assert_int_equal(swp(f->a), 0);
	assert_int_equal(memcg_swap_nr_free(f->e), 256);
	fixture_audit(f);
	memcg_folio_put(f->e, folio);
}

/* A page in the swap cache counts in both counters (v2). */
static void test_swapcache_counts_in_both(void **state)
{
	struct fixture *f = *state;
	struct folio *folio = anon(f, f->a, 0, NULL);
	memcg_swp_entry_t entry, again;

	memcg_drain_all_stock(f->a);
	assert_int_equal(memcg_swap_alloc(f->e, folio, &entry), 0);
	assert_int_equal(memcg_swap_alloc(f->e, folio, &again), -EEXIST);
	assert_int_equal(again.val, 0);
	fixture_audit(f);
	assert_int_equal(mem(f->a), 1);
	assert_int_equal(swp(f->a), 1);
	assert_int_equal(memcg_swap_reclaim_folio(f->e, folio, entry), -EBUSY);
	assert_int_equal(memcg_folio_free_swap(f->e, folio, entry), 0);
	assert_int_equal(swp(f->a), 0);
	fixture_audit(f);
	memcg_folio_put(f->e, folio);
}

/*
 * Migrating a swap-cache folio moves its place in the swap cache with its
 * charge, as the kernel's folio_migrate_mapping(): the cache then finds
 * the new folio, the swap-cache statistic stays, and the old folio is
 * plain. With a reference the cache and the caller cannot account for,
 * it is refused (-EBUSY, the kernel's -EAGAIN) and nothing changes.
 */
static void test_migrate_swapcache(void **state)
{
	struct fixture *f = *state;
	uint64_t sum;
	struct folio *folio = anon(f, f->a, 0, &sum);
	struct folio *new = memcg_folio_alloc(f->e, MEMCG_FOLIO_ANON, 0);
	struct folio *in;
	memcg_swp_entry_t entry;

	memcg_drain_all_stock(f->a);
	assert_int_equal(memcg_swap_alloc(f->e, folio, &entry), 0);
	memcg_folio_get(f->e, folio);		/* someone else's */
	assert_int_equal(memcg_migrate(f->e, folio, new), -EBUSY);
	assert_ptr_equal(memcg_folio_memcg(f->e, folio), f->a);
	assert_null(memcg_folio_memcg(f->e, new));
	memcg_folio_put(f->e, folio);
	fixture_audit(f);

	memcpy(memcg_folio_data(f->e, new), memcg_folio_data(f->e, folio), PG);
	assert_int_equal(memcg_migrate(f->e, folio, new), 0);
	assert_ptr_equal(memcg_folio_memcg(f->e, new), f->a);
	assert_null(memcg_folio_memcg(f->e, folio));
	assert_int_equal(folio_swap_entry(f->e, new).val, entry.val);
	assert_int_equal(folio_swap_entry(f->e, folio).val, 0);
	assert_int_equal(mem(f->a), 1);
	assert_int_equal(memcg_page_state(f->a, MEMCG_SWAPCACHE), 1);
	memcg_folio_put(f->e, folio);		/* the old one goes */
	fixture_audit(f);
	/* a page table maps the entry: the fault finds the new folio */
	assert_int_equal(memcg_swap_dup(f->e, entry), 0);
	assert_int_equal(memcg_swapin(f->e, entry, f->a, 0, &in), 0);
	assert_ptr_equal(in, new);
	assert_int_equal(checksum(memcg_folio_data(f->e, in), PG), sum);
	assert_int_equal(memcg_swap_free(f->e, entry), 0);
	memcg_folio_put(f->e, in);
	assert_int_equal(memcg_folio_free_swap(f->e, new, entry), 0);
	assert_int_equal(memcg_page_state(f->a, MEMCG_SWAPCACHE), 0);
	fixture_audit(f);
	memcg_folio_put(f->e, new);
	fixture_audit(f);
}

/* Swap-in of a record whose owner went offline charges the faulter. */
static void test_swapin_owner_offline(void **state)
{
	struct fixture *f = *state;
	struct folio *folio = anon(f, f->a, 0, NULL);
	memcg_swp_entry_t entry;

	assert_int_equal(memcg_swap_out(f->e, folio, &entry), 0);
	assert_int_equal(memcg_rmdir(f->e, "A"), 0);
	fixture_audit(f);
	assert_int_equal(memcg_swapin(f->e, entry, f->b, 0, &folio), 0);
	assert_ptr_equal(memcg_folio_memcg(f->e, folio), f->b);
	fixture_audit(f);
	assert_int_equal(memcg_swap_free(f->e, entry), 0);
	assert_int_equal(memcg_folio_free_swap(f->e, folio, entry), 0);
	memcg_folio_put(f->e, folio);
	fixture_audit(f);
}

/* Records hold id references, not cgroup references. */
static void test_records_hold_ids(void **state)
{
	struct fixture *f = *state;
	struct folio *folio = anon(f, f->a, 0, NULL);
	memcg_swp_entry_t entry;
	long refs;
	char buf[256];

	memcg_drain_all_stock(f->a);
	refs = css_ref_read(f->a);
	assert_int_equal(memcg_swap_out(f->e, folio, &entry), 0);
	assert_int_equal(css_ref_read(f->a), refs - 1);	/* the folio's went */
	assert_int_equal(atomic_load(&f->a->id_ref), 2);	/* online + record */
	fixture_audit(f);
	/* kernel semantics (mainline): the id pins the cgroup until the
	 * record goes, so the removed cgroup stays dying */
	assert_int_equal(memcg_rmdir(f->e, "A"), 0);
	memcg_put(f->a);
	f->a = NULL;
	f->holds[0] = (struct audit_hold){ NULL, 0 };
	assert_true(memcg_read(memcg_root(f->e), "cgroup.stat", buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "nr_dying_descendants 1"));
	fixture_audit(f);
	assert_int_equal(memcg_swap_free(f->e, entry), 0);
	assert_true(memcg_read(memcg_root(f->e), "cgroup.stat", buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "nr_dying_descendants 0"));
	fixture_audit(f);
}

static void fault_case(struct fixture *f, int err, int want)
{
	uint64_t sum;
	struct folio *folio = anon(f, f->a, 0, &sum);
	memcg_swp_entry_t entry;
	long m, s;

	memcg_drain_all_stock(f->a);
	m = mem(f->a);
	s = swp(f->a);
	assert_int_equal(memcg_swap_inject_fault(f->e, err, 0), 0);
	assert_int_equal(memcg_swap_out(f->e, folio, &entry), want);
	fixture_audit(f);
	assert_int_equal(folio_ref_count(folio), 1);
	assert_false(folio_test_flag(folio, PG_swapcache));
	assert_ptr_equal(memcg_folio_memcg(f->e, folio), f->a);
	assert_int_equal(checksum(memcg_folio_data(f->e, folio), PG), sum);
	assert_int_equal(mem(f->a), m);
	assert_int_equal(swp(f->a), s);
	assert_int_equal(memcg_swap_nr_free(f->e), 256);
	/* and the next attempt works */
	assert_int_equal(memcg_swap_out(f->e, folio, &entry), 0);
	assert_int_equal(memcg_swapin(f->e, entry, f->a, 0, &folio), 0);
	assert_int_equal(checksum(memcg_folio_data(f->e, folio), PG), sum);
	assert_int_equal(memcg_swap_free(f->e, entry), 0);
	assert_int_equal(memcg_folio_free_swap(f->e, folio, entry), 0);
	memcg_folio_put(f->e, folio);
	fixture_audit(f);
}

/* EIO, ENOSPC and a short write: the folio stays, nothing is lost. */
static void test_write_faults_lose_nothing(void **state)
{
	struct fixture *f = *state;

	fault_case(f, -EIO, -EIO);
	fault_case(f, -ENOSPC, -ENOSPC);
	fault_case(f, -EPIPE, -ENOSPC);	/* short write */
	assert_int_equal(memcg_swap_inject_fault(f->e, -EINVAL, 0), -EINVAL);
}

/*
 * The reparent policy: rmdir moves the records to the parent, the removed
 * cgroup goes at once, and swap-in charges the parent, the new owner.
 */
static void test_records_reparented(void **state)
{
	struct fixture *f = *state;
	uint64_t sum;
	struct folio *folio = anon(f, f->a, 0, &sum);
	struct mem_cgroup *c;
	memcg_swp_entry_t entry;

	assert_int_equal(memcg_mkdir(f->e, "A/C", &c), 0);
	assert_int_equal(memcg_move_account(f->e, folio, c), 0);
	assert_int_equal(memcg_swap_out(f->e, folio, &entry), 0);
	memcg_drain_all_stock(f->a);
	assert_int_equal(swp(c), 1);
	assert_int_equal(swp(f->a), 1);
	assert_int_equal(memcg_rmdir(f->e, "A/C"), 0);
	assert_int_equal(swp(f->a), 1);		/* unchanged */
	memcg_put(c);
	assert_int_equal(f->a->nr_dying_descendants, 0);	/* v1: no file */
	fixture_audit(f);
	assert_int_equal(memcg_swapin(f->e, entry, f->b, 0, &folio), 0);
	assert_ptr_equal(memcg_folio_memcg(f->e, folio), f->a);
	assert_int_equal(checksum(memcg_folio_data(f->e, folio), PG), sum);
	assert_int_equal(memcg_swap_free(f->e, entry), 0);
	assert_int_equal(memcg_folio_free_swap(f->e, folio, entry), 0);
	memcg_folio_put(f->e, folio);
	fixture_audit(f);
}

/* A huge folio swaps out as a run of slots and comes back page by page. */
static void test_huge_swap_run(void **state)
{
	struct fixture *f = *state;
	uint64_t sum;
	struct folio *folio = anon(f, f->a, 4, &sum), *pages[16];
	unsigned char *data = malloc(16 * PG);
	memcg_swp_entry_t entry, e;
	int i;

	memcpy(data, memcg_folio_data(f->e, folio), 16 * PG);
	assert_int_equal(memcg_swap_out(f->e, folio, &entry), 0);
	assert_int_equal((entry.val - 1) % 16, 0);	/* aligned run */
	assert_int_equal(swp(f->a), 16);
	assert_int_equal(memcg_swap_nr_free(f->e), 240);
	fixture_audit(f);
	for (i = 0; i < 16; i++) {
		e.val = entry.val + (uint32_t)i;
		assert_int_equal(memcg_swapin(f->e, e, f->b, 0, &pages[i]), 0);
		assert_int_equal(memcg_folio_nr_pages(pages[i]), 1);
		assert_memory_equal(memcg_folio_data(f->e, pages[i]),
				    data + i * PG, PG);
		assert_int_equal(memcg_swap_free(f->e, e), 0);
		assert_int_equal(memcg_folio_free_swap(f->e, pages[i], e), 0);
		fixture_audit(f);
	}
	assert_int_equal(swp(f->a), 0);
	memcg_folios_put(f->e, pages, 16);
	fixture_audit(f);
	free(data);
}

/* Entries shared by two page tables; the slot lives until both go. */
static void test_shared_entry(void **state)
{
	struct fixture *f = *state;
	struct folio *folio = anon(f, f->a, 0, NULL);
	memcg_swp_entry_t entry;

	assert_int_equal(memcg_swap_out(f->e, folio, &entry), 0);
	assert_int_equal(memcg_swap_dup(f->e, entry), 0);
	assert_int_equal(memcg_swap_free(f->e, entry), 0);
	assert_int_equal(swp(f->a), 1);
	fixture_audit(f);
	assert_int_equal(memcg_swap_free(f->e, entry), 0);
	assert_int_equal(swp(f->a), 0);
	assert_int_equal(memcg_swap_free(f->e, entry), -EINVAL);
	assert_int_equal(memcg_swapin(f->e, entry, f->a, 0, &folio), -EINVAL);
	entry.val = 100000;
	assert_int_equal(memcg_swap_free(f->e, entry), -EINVAL);
	fixture_audit(f);
}

/*
 * Two page tables swap in one entry and get one folio; each then drops its
 * entry reference and takes the folio out of the swap cache: -EBUSY while
 * the other still maps the slot, 0 for the first once it is unmapped,
 * -EINVAL for the second (and for an entry the folio never had). Nothing
 * is left charged to swap and the slot is free.
 */
static void test_free_swap_two_holders(void **state)
{
	struct fixture *f = *state;
	struct folio *folio = anon(f, f->a, 0, NULL), *f1, *f2;
	memcg_swp_entry_t entry, other;
	long free_slots = memcg_swap_nr_free(f->e);

	assert_int_equal(memcg_swap_out(f->e, folio, &entry), 0);
	assert_int_equal(memcg_swap_dup(f->e, entry), 0);
	assert_int_equal(memcg_swapin(f->e, entry, f->a, 0, &f1), 0);
	assert_int_equal(memcg_swapin(f->e, entry, f->a, 0, &f2), 0);
	assert_ptr_equal(f1, f2);
	assert_int_equal(memcg_swap_free(f->e, entry), 0);
	assert_int_equal(memcg_folio_free_swap(f->e, f1, entry), -EBUSY);
	other.val = entry.val % 256 + 1;
	assert_int_equal(memcg_folio_free_swap(f->e, f1, other), -EINVAL);
	assert_int_equal(memcg_swap_free(f->e, entry), 0);
	assert_int_equal(memcg_folio_free_swap(f->e, f2, entry), 0);
	assert_int_equal(memcg_folio_free_swap(f->e, f1, entry), -EINVAL);
	assert_int_equal(swp(f->a), 0);
	assert_int_equal(memcg_swap_nr_free(f->e), free_slots);
	fixture_audit(f);
	memcg_folio_put(f->e, f1);
	memcg_folio_put(f->e, f2);
	fixture_audit(f);
}

/* No swap device: swap-out is refused cleanly. */
static void test_no_swap_device(void **state)
{
	struct memcg_engine *e;
	struct memcg_config cfg;
	struct folio *folio;
	memcg_swp_entry_t entry = { 1 };

	memcg_config_init(&cfg);
	cfg.memory_bytes = 4 << 20;
	cfg.nr_cpus = 1;
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	folio = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(memcg_swap_out(e, folio, &entry), -ENODEV);
	assert_int_equal(memcg_swap_free(e, entry), -ENODEV);
	assert_int_equal(memcg_swap_nr_free(e), -ENODEV);
	memcg_folio_put(e, folio);
	folio = memcg_folio_alloc(e, MEMCG_FOLIO_FILE, 0);
	assert_int_equal(memcg_swapon(e, NULL, 100), -EINVAL);
	assert_int_equal(memcg_swapon(e, NULL, 1 << 20), 0);
	assert_int_equal(memcg_swap_out(e, folio, &entry), -EINVAL); /* file */
	memcg_folio_put(e, folio);
	memcg_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip_v2, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_roundtrip_v1, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(test_swap_max_refusal, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_swapcache_counts_in_both, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_swapin_owner_offline, setup_v2_kernel, teardown),
		cmocka_unit_test_setup_teardown(test_swapin_owner_offline, setup_v1_kernel, teardown),
		cmocka_unit_test_setup_teardown(test_records_hold_ids, setup_v2_kernel, teardown),
		cmocka_unit_test_setup_teardown(test_records_reparented, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_records_reparented, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(test_write_faults_lose_nothing, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_write_faults_lose_nothing, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(test_huge_swap_run, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_huge_swap_run, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(test_shared_entry, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_free_swap_two_holders, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_free_swap_two_holders, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_swapcache, setup_v2, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_swapcache, setup_v1, teardown),
		cmocka_unit_test(test_no_swap_device),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
