// SPDX-License-Identifier: MIT
/*
 * The charge lifecycle, one test per rule of docs/DESIGN.md, with
 * the auditor after every step.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fixture.h"

#define NR_CPUS 2

/* Counter updates by uncharge_batch, summed over the tree. */
static long uncharge_batches(struct memcg_engine *e)
{
	return memcg_page_state(memcg_root(e), MEMCG_UNCHARGE_BATCHES);
}

static int setup_mode(void **state, enum memcg_mode mode, const char *b)
{
	struct memcg_config cfg;

	memcg_config_init(&cfg);
	cfg.mode = mode;
	cfg.memory_bytes = 64 << 20;
	cfg.nr_cpus = NR_CPUS;
	cfg.deterministic = true;
	*state = fixture_new(&cfg, "A", b);
	return 0;
}

static int setup(void **state)
{
	return setup_mode(state, MEMCG_MODE_V2, "A/B");
}

static int setup_v1(void **state)
{
	return setup_mode(state, MEMCG_MODE_V1, "A/B");
}

static int setup_siblings(void **state)
{
	return setup_mode(state, MEMCG_MODE_V2, "B");
}

static int teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

/*
 * A folio charged to @m itself, as the simulator's and every LRU folio
 * is; memcg_charge() charges a program's folio through the objcg instead
 * (test_objcg_folios.c).
 */
static struct folio *charged(struct fixture *f, struct mem_cgroup *m,
			     enum memcg_folio_type type, unsigned order)
{
	struct folio *folio = memcg_folio_alloc(f->e, type, order);

	assert_non_null(folio);
	assert_int_equal(mem_cgroup_charge(folio, m, MEMCG_GFP_KERNEL), 0);
	assert_ptr_equal(memcg_folio_memcg(f->e, folio), m);
	fixture_audit(f);
	return folio;
}

static long usage(struct mem_cgroup *m)
{
	return page_counter_read(&m->memory);
}

/* Seed rule 1: uncharge after the final put, never before. */
static void test_uncharge_at_final_put(void **state)
{
	struct fixture *f = *state;
	struct folio *folio = charged(f, f->b, MEMCG_FOLIO_FILE, 0);

	memcg_drain_all_stock(f->a);
	assert_int_equal(usage(f->b), 1);
	memcg_folio_get(f->e, folio);		/* e.g. the page cache */
	memcg_folio_get(f->e, folio);		/* and a mapping */
	memcg_folio_put(f->e, folio);		/* unmap */
	memcg_folio_put(f->e, folio);		/* truncation */
	fixture_audit(f);
	assert_int_equal(usage(f->b), 1);
	assert_ptr_equal(memcg_folio_memcg(f->e, folio), f->b);
	memcg_folio_put(f->e, folio);		/* the final put */
	fixture_audit(f);
	assert_int_equal(usage(f->b), 0);
	assert_int_equal(usage(f->a), 0);
}

/* Seed rule 1: a batch is uncharged with one update per run of a cgroup. */
static void test_batched_uncharge_one_update_per_run(void **state)
{
	struct fixture *f = *state;
	struct folio *folios[250];
	long before;
	int i;

	for (i = 0; i < 250; i++)
		folios[i] = charged(f, i < 100 || i >= 150 ? f->a : f->b,
				    MEMCG_FOLIO_ANON, 0);
	memcg_drain_all_stock(f->a);
	memcg_drain_all_stock(f->b);
	assert_int_equal(usage(f->a), 200);
	assert_int_equal(usage(f->b), 50);
	before = uncharge_batches(f->e);
	memcg_folios_put(f->e, folios, 250);
	assert_int_equal(uncharge_batches(f->e) - before, 3);
	fixture_audit(f);
	assert_int_equal(usage(f->a), 0);
	assert_int_equal(memcg_page_state(f->a, MEMCG_ANON), 0);
	assert_int_equal(memcg_page_state_local(f->a, MEMCG_PGPGOUT), 200);
}

/* Seed rule 2: migration transfers charge and reference, not counters. */
static void test_migrate_moves_charge_and_reference(void **state)
{
	struct fixture *f = *state;
	struct folio *old = charged(f, f->b, MEMCG_FOLIO_ANON, 0);
	struct folio *new = memcg_folio_alloc(f->e, MEMCG_FOLIO_ANON, 0);
	long refs = css_ref_read(f->b), pages = usage(f->b);
	long batches = uncharge_batches(f->e);

	assert_int_equal(memcg_migrate(f->e, old, new), 0);
	assert_ptr_equal(memcg_folio_memcg(f->e, new), f->b);
	assert_null(memcg_folio_memcg(f->e, old));
	assert_int_equal(css_ref_read(f->b), refs);
	assert_int_equal(usage(f->b), pages);
	memcg_folio_put(f->e, old);		/* freed, not uncharged */
	assert_int_equal(usage(f->b), pages);
	assert_int_equal(uncharge_batches(f->e), batches);
	fixture_audit(f);
	memcg_folio_put(f->e, new);
	assert_int_equal(usage(f->b), pages - 1);
	fixture_audit(f);
}

static void test_migrate_rejects_mismatch(void **state)
{
	struct fixture *f = *state;
	struct folio *old = charged(f, f->b, MEMCG_FOLIO_ANON, 0);
	struct folio *file = memcg_folio_alloc(f->e, MEMCG_FOLIO_FILE, 0);
	struct folio *other = charged(f, f->a, MEMCG_FOLIO_ANON, 0);

	assert_int_equal(memcg_migrate(f->e, old, file), -EINVAL);
	assert_int_equal(memcg_migrate(f->e, old, other), -EINVAL);
	assert_int_equal(memcg_migrate(f->e, old, old), -EINVAL);
	assert_ptr_equal(memcg_folio_memcg(f->e, old), f->b);
	memcg_folio_put(f->e, old);
	memcg_folio_put(f->e, file);
	memcg_folio_put(f->e, other);
	fixture_audit(f);
}

/* Page-cache replacement: the new folio is force-charged. */
static void test_replace_folio_force_charges(void **state)
{
	struct fixture *f = *state;
	struct folio *old, *new;

	assert_int_equal(memcg_write(f->a, "memory.max", "4096"), 0);
	old = charged(f, f->b, MEMCG_FOLIO_FILE, 0);
	new = memcg_folio_alloc(f->e, MEMCG_FOLIO_FILE, 0);
	assert_int_equal(memcg_replace_folio(f->e, old, new), 0);
	assert_int_equal(usage(f->a), 2);	/* past max: forced */
	assert_ptr_equal(memcg_folio_memcg(f->e, new), f->b);
	assert_ptr_equal(memcg_folio_memcg(f->e, old), f->b);
	fixture_audit(f);
	memcg_folio_put(f->e, old);
	assert_int_equal(usage(f->a), 1);
	memcg_folio_put(f->e, new);
	assert_int_equal(usage(f->a), 0);
	fixture_audit(f);
}

/* Seed rule 4: a huge-page split takes one reference per new folio. */
static void test_split_gives_tails_references(void **state)
{
	struct fixture *f = *state;
	struct folio *huge = charged(f, f->b, MEMCG_FOLIO_ANON, 9);
	struct folio *pieces[512];
	long refs = css_ref_read(f->b);
	int i;

	assert_int_equal(usage(f->b), 512);
	assert_int_equal(memcg_page_state(f->b, MEMCG_ANON_THP), 512);
	assert_int_equal(memcg_split_folio(f->e, huge, pieces), 0);
	assert_int_equal(css_ref_read(f->b), refs + 511);
	assert_int_equal(usage(f->b), 512);
	assert_int_equal(memcg_page_state(f->b, MEMCG_ANON_THP), 0);
	assert_int_equal(memcg_page_state(f->b, MEMCG_ANON), 512);
	for (i = 0; i < 512; i++)
		assert_ptr_equal(memcg_folio_memcg(f->e, pieces[i]), f->b);
	fixture_audit(f);
	memcg_folio_put(f->e, pieces[7]);
	assert_int_equal(usage(f->b), 511);
	assert_int_equal(css_ref_read(f->b), refs + 510);
	fixture_audit(f);
	pieces[7] = pieces[511];
	memcg_folios_put(f->e, pieces, 511);
	assert_int_equal(usage(f->b), 0);
	assert_int_equal(css_ref_read(f->b), refs - 1);
	fixture_audit(f);
	assert_int_equal(memcg_split_folio(f->e, pieces[0] = memcg_folio_alloc(
				f->e, MEMCG_FOLIO_ANON, 0), NULL), -EINVAL);
	memcg_folio_put(f->e, pieces[0]);
}

/* Seed rule 4: a stock slot holds one reference and drops it on drain. */
static void test_stock_slot_holds_reference(void **state)
{
	struct fixture *f = *state;
	long refs = css_ref_read(f->b), slots;
	struct folio *folio = charged(f, f->b, MEMCG_FOLIO_ANON, 0);

	assert_int_equal(memcg_stock_pages(f->e, f->b, &slots), 63);
	assert_int_equal(slots, 1);
	assert_int_equal(css_ref_read(f->b), refs + 2);	/* folio + slot */
	assert_int_equal(usage(f->b), 64);
	memcg_drain_all_stock(f->a);
	assert_int_equal(memcg_stock_pages(f->e, f->b, &slots), 0);
	assert_int_equal(slots, 0);
	assert_int_equal(css_ref_read(f->b), refs + 1);
	assert_int_equal(usage(f->b), 1);
	fixture_audit(f);
	memcg_folio_put(f->e, folio);
}

/* Charges are served from the stock: 64 charges take one batch. */
static void test_stock_serves_batch(void **state)
{
	struct fixture *f = *state;
	struct folio *folios[65];
	int i;

	for (i = 0; i < 64; i++)
		folios[i] = charged(f, f->b, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(usage(f->b), 64);
	assert_int_equal(memcg_stock_pages(f->e, f->b, NULL), 0);
	folios[64] = charged(f, f->b, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(usage(f->b), 128);
	/* a stock is per CPU: another CPU charges its own batch */
	memcg_set_cpu(1);
	memcg_folio_put(f->e, charged(f, f->b, MEMCG_FOLIO_ANON, 0));
	assert_int_equal(usage(f->b), 128 + 63);
	memcg_set_cpu(0);
	memcg_folios_put(f->e, folios, 65);
	fixture_audit(f);
}

/* Seven cached cgroups per CPU; the eighth evicts one, round-robin. */
static void test_stock_seven_slots(void **state)
{
	struct fixture *f = *state;
	struct mem_cgroup *m[8];
	struct audit_hold holds[10];
	struct folio *folios[8];
	char name[16];
	long slots;
	int i;

	for (i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "A/c%d", i);
		assert_int_equal(memcg_mkdir(f->e, name, &m[i]), 0);
		holds[i] = (struct audit_hold){ m[i], 1 };
	}
	holds[8] = f->holds[0];
	holds[9] = f->holds[1];
	for (i = 0; i < 8; i++) {
		folios[i] = memcg_folio_alloc(f->e, MEMCG_FOLIO_ANON, 0);
		assert_int_equal(memcg_charge(f->e, folios[i], m[i], 0), 0);
		assert_int_equal(memcg_audit(f->e, holds, 10), 0);
	}
	/* c0 was evicted by c7: its surplus went back to the counters */
	assert_int_equal(memcg_stock_pages(f->e, m[0], &slots), 0);
	assert_int_equal(slots, 0);
	assert_int_equal(usage(m[0]), 1);
	for (i = 1; i < 8; i++)
		assert_int_equal(memcg_stock_pages(f->e, m[i], NULL), 63);
	memcg_folios_put(f->e, folios, 8);
	memcg_drain_all_stock(f->a);
	for (i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "A/c%d", i);
		assert_int_equal(memcg_rmdir(f->e, name), 0);
		memcg_put(m[i]);
	}
	fixture_audit(f);
}

/* Seed rule 4: moving a charge gets the new cgroup and puts the old. */
static void test_move_account_gets_new_puts_old(void **state)
{
	struct fixture *f = *state;
	struct folio *folio = charged(f, f->a, MEMCG_FOLIO_ANON, 0);
	long ra, rb;

	memcg_drain_all_stock(f->a);
	ra = css_ref_read(f->a);
	rb = css_ref_read(f->b);
	assert_int_equal(memcg_move_account(f->e, folio, f->b), 0);
	assert_ptr_equal(memcg_folio_memcg(f->e, folio), f->b);
	memcg_drain_all_stock(f->a);
	assert_int_equal(css_ref_read(f->a), ra - 1);
	assert_int_equal(css_ref_read(f->b), rb + 1);
	assert_int_equal(usage(f->b), 1);
	assert_int_equal(usage(f->a), 1);	/* hierarchical: B is below A */
	assert_int_equal(memcg_page_state_local(f->a, MEMCG_ANON), 0);
	assert_int_equal(memcg_page_state_local(f->b, MEMCG_ANON), 1);
	fixture_audit(f);
	memcg_folio_put(f->e, folio);
	fixture_audit(f);
}

static void test_move_account_to_full_sibling(void **state)
{
	struct fixture *f = *state;
	struct folio *folio = charged(f, f->a, MEMCG_FOLIO_ANON, 0);

	assert_int_equal(memcg_write(f->b, "memory.max", "0"), 0);
	assert_int_equal(memcg_move_account(f->e, folio, f->b), -ENOMEM);
	assert_ptr_equal(memcg_folio_memcg(f->e, folio), f->a);
	fixture_audit(f);
	memcg_folio_put(f->e, folio);
}

/* Seed rule 4: the root is refcounted like any cgroup, never charged. */
static void test_root_refcounted_not_charged(void **state)
{
	struct fixture *f = *state;
	struct mem_cgroup *root = memcg_root(f->e);
	long refs = css_ref_read(root);
	struct folio *folio = charged(f, root, MEMCG_FOLIO_FILE, 0);

	assert_int_equal(css_ref_read(root), refs + 1);
	assert_int_equal(usage(root), 0);
	assert_int_equal(memcg_page_state(root, MEMCG_FILE), 1);
	memcg_folio_put(f->e, folio);
	assert_int_equal(css_ref_read(root), refs);
	assert_int_equal(memcg_page_state(root, MEMCG_FILE), 0);
	fixture_audit(f);
}

/* A limit is enforced at every level, the failing one gets "max". */
static void test_charge_over_limit(void **state)
{
	struct fixture *f = *state;
	struct folio *folios[16], *extra;
	int i;

	assert_int_equal(memcg_write(f->a, "memory.max", "64K"), 0);
	for (i = 0; i < 16; i++)
		folios[i] = charged(f, f->b, MEMCG_FOLIO_ANON, 0);
	extra = memcg_folio_alloc(f->e, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(memcg_charge(f->e, extra, f->b, 0), -ENOMEM);
	assert_null(memcg_folio_memcg(f->e, extra));
	assert_int_equal(usage(f->a), 16);
	assert_true(atomic_load(&f->a->memory_events_local[MEMCG_MAX]) > 0);
	assert_int_equal(atomic_load(&f->b->memory_events_local[MEMCG_MAX]), 0);
	fixture_audit(f);
	/* NOFAIL forces the charge past max */
	assert_int_equal(memcg_charge(f->e, extra, f->b, MEMCG_GFP_NOFAIL), 0);
	assert_int_equal(usage(f->a), 17);
	fixture_audit(f);
	memcg_folio_put(f->e, extra);
	memcg_folios_put(f->e, folios, 16);
	fixture_audit(f);
}

/* v1: memory and memsw are charged together; memsw limits too. */
static void test_v1_memsw_charged_together(void **state)
{
	struct fixture *f = *state;
	struct folio *folio = charged(f, f->b, MEMCG_FOLIO_ANON, 0), *extra;

	assert_int_equal(page_counter_read(&f->b->memsw), usage(f->b));
	memcg_drain_all_stock(f->a);
	assert_int_equal(memcg_write(f->a, "memory.memsw.limit_in_bytes",
				     "4096"), -EINVAL); /* below memory limit */
	assert_int_equal(memcg_write(f->a, "memory.limit_in_bytes", "8192"), 0);
	assert_int_equal(memcg_write(f->a, "memory.memsw.limit_in_bytes",
				     "4096"), -EINVAL);
	assert_int_equal(memcg_write(f->a, "memory.memsw.limit_in_bytes",
				     "8192"), 0);
	assert_int_equal(memcg_write(f->a, "memory.limit_in_bytes", "0"), -EBUSY);
	/* one page left under both limits: the batch fails, the exact
	 * charge succeeds, the next one fails */
	extra = charged(f, f->b, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(page_counter_read(&f->a->memsw), 2);
	fixture_audit(f);
	memcg_folio_put(f->e, extra);
	assert_int_equal(memcg_write(f->a, "memory.limit_in_bytes", "-1"), -EINVAL);
	assert_int_equal(memcg_write(f->a, "memory.memsw.limit_in_bytes", "-1"), 0);
	assert_int_equal(memcg_write(f->a, "memory.limit_in_bytes", "-1"), 0);
	memcg_folio_put(f->e, folio);
	fixture_audit(f);
}

/* rmdir refuses cgroups with children or tasks, and the root. */
static void test_rmdir_busy(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(memcg_rmdir(f->e, "A"), -EBUSY);
	assert_int_equal(memcg_rmdir(f->e, ""), -EBUSY);
	assert_int_equal(memcg_rmdir(f->e, "."), -EINVAL);	/* rmdir("X/.") */
	assert_int_equal(memcg_rmdir(f->e, "nope"), -ENOENT);
	assert_int_equal(memcg_attach_task(f->b), 0);
	assert_int_equal(memcg_rmdir(f->e, "A/B"), -EBUSY);
	memcg_detach_task(f->b);
	assert_int_equal(memcg_mkdir(f->e, "A/B", NULL), -EEXIST);
	assert_int_equal(memcg_mkdir(f->e, "X/Y", NULL), -ENOENT);
	/* as mkdir(2): the last component names something that exists */
	assert_int_equal(memcg_mkdir(f->e, "A/..", NULL), -EEXIST);
	assert_int_equal(memcg_mkdir(f->e, "A/", NULL), -EEXIST);
	fixture_audit(f);
}

/* A removed cgroup: offline at once, alive while anything points at it. */
static void test_removed_cgroup(void **state)
{
	struct fixture *f = *state;
	struct folio *folio = charged(f, f->b, MEMCG_FOLIO_FILE, 0);
	struct mem_cgroup *lookup;
	char buf[256];

	assert_int_equal(memcg_rmdir(f->e, "A/B"), 0);
	assert_false(memcg_is_online(f->b));
	assert_false(memcg_tryget_online(f->b));
	assert_int_equal(memcg_lookup(f->e, "A/B", &lookup), -ENOENT);
	assert_int_equal(memcg_attach_task(f->b), -ENOENT);
	assert_int_equal(memcg_read(f->b, "memory.current", buf, sizeof(buf)),
			 -ENODEV);
	assert_int_equal(memcg_mkdir(f->e, "A/B/C", NULL), -ENOENT);
	/* the stock's slot was drained at offline: only the folio and us */
	assert_int_equal(memcg_stock_pages(f->e, f->b, NULL), 0);
	assert_int_equal(f->a->nr_dying_descendants, 1);
	fixture_audit(f);
	memcg_folio_put(f->e, folio);
	fixture_audit(f);
	assert_int_equal(f->a->nr_dying_descendants, 1);	/* our handle */
	f->holds[1] = (struct audit_hold){ NULL, 0 };
	memcg_put(f->b);
	f->b = NULL;
	fixture_audit(f);
	assert_int_equal(f->a->nr_dying_descendants, 0);
	assert_int_equal(atomic_load(&f->e->nr_memcgs), 2);
	/* the name is free again, with a fresh cgroup */
	assert_int_equal(memcg_mkdir(f->e, "A/B", &f->b), 0);
	f->holds[1] = (struct audit_hold){ f->b, 1 };
	fixture_audit(f);
}

/* Ids: published at online, found under RCU, reused only after release. */
static void test_ids(void **state)
{
	struct fixture *f = *state;
	struct mem_cgroup *c, *d;
	unsigned short id;

	assert_int_equal(memcg_mkdir(f->e, "C", &c), 0);
	id = c->id;
	rcu_read_lock();
	assert_ptr_equal(mem_cgroup_from_id(f->e, id), c);
	rcu_read_unlock();
	assert_int_equal(memcg_rmdir(f->e, "C"), 0);
	rcu_read_lock();
	assert_null(mem_cgroup_from_id(f->e, id));
	rcu_read_unlock();
	/* a record would take the id ref of the nearest live ancestor */
	assert_ptr_equal(mem_cgroup_id_get_online(c), memcg_root(f->e));
	mem_cgroup_id_put_many(memcg_root(f->e), 1);
	memcg_put(c);
	assert_int_equal(memcg_mkdir(f->e, "D", &d), 0);
	assert_int_equal(d->id, id);		/* the lowest free id */
	assert_int_equal(memcg_rmdir(f->e, "D"), 0);
	memcg_put(d);
	fixture_audit(f);
}

/* Exact references after the kill, with refs taken on every CPU. */
static void test_refs_across_cpus_and_kill(void **state)
{
	struct fixture *f = *state;
	struct folio *folios[NR_CPUS * 3];
	int i;

	for (i = 0; i < NR_CPUS * 3; i++) {
		memcg_set_cpu(i % NR_CPUS);
		folios[i] = charged(f, f->b, MEMCG_FOLIO_ANON, 0);
	}
	memcg_set_cpu(0);
	assert_int_equal(memcg_rmdir(f->e, "A/B"), 0);
	assert_true(atomic_load(&f->b->ref.atomic_mode));
	fixture_audit(f);
	for (i = 0; i < NR_CPUS * 3; i++) {
		memcg_set_cpu(NR_CPUS - 1 - i % NR_CPUS);
		memcg_folio_put(f->e, folios[i]);
		fixture_audit(f);
	}
	memcg_set_cpu(0);
	assert_int_equal(css_ref_read(f->b), 1);	/* our handle */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_uncharge_at_final_put, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batched_uncharge_one_update_per_run, setup_siblings, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_moves_charge_and_reference, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_rejects_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_folio_force_charges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_gives_tails_references, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stock_slot_holds_reference, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stock_serves_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stock_seven_slots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_account_gets_new_puts_old, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_account_to_full_sibling, setup_siblings, teardown),
		cmocka_unit_test_setup_teardown(test_root_refcounted_not_charged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_charge_over_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v1_memsw_charged_together, setup_v1, teardown),
		cmocka_unit_test_setup_teardown(test_rmdir_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_removed_cgroup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refs_across_cpus_and_kill, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
