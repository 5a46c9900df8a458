// SPDX-License-Identifier: MIT
/*
 * The v2 control files whose values come from charges: memory.peak and its
 * per-fd state, memory.events, memory.stat, cgroup.stat, limits below the
 * usage, writes to an offline cgroup, reads into a short buffer. The table
 * of inputs is test_cgroupfs.c's; the v1 counters test_cgroupfs_v1.c's.
 *
 * Kernel references (behaviour only, no code taken): mm/memcontrol.c
 * memory_files[]/swap_files[] (flags, handlers, peak_write()/peak_show(),
 * __memcg_memory_event()).
 *
 * Known differences from the kernel, deliberately not pinned here:
 * - cgroup.stat lacks the 6.12+ nr_subsys_memory / nr_dying_subsys_memory
 *   lines, so cgroup.stat and memory.stat are checked by key, not verbatim;
 * - reads through an fd of a removed cgroup succeed (the kernel: -ENODEV).
 */
#include "cgroupfs_test.h"

/*
 * memory.peak (6.12: writable): without a write the fd shows the
 * all-time watermark; a
 * write sets the fd's value and local_watermark to the usage and raises
 * every other registered fd to at least the usage (peak_write()); reads
 * then show max(fd value, local_watermark) (peak_show()).
 */
static void test_v2_peak_per_fd(void **state)
{
	struct memcg_engine *e = engine_new_kernel(V2, false,
						   MEMCG_POLICY_REPARENT,
						   MEMCG_KERNEL_6_12);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct memcg_file *fd1, *fd2, *fd3, *sw;
	struct folio *v[8];
	char buf[64];
	int i;

	assert_int_equal(memcg_open(a, "memory.peak", &fd1), 0);
	assert_int_equal(memcg_open(a, "memory.peak", &fd2), 0);
	assert_int_equal(memcg_file_read(fd1, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "0\n");
	assert_string_equal(rd(a, "memory.peak"), "0\n");

	/* the first charge takes a batch of 64 pages, 63 go to the stock */
	for (i = 0; i < 4; i++)
		v[i] = charge(e, a, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(rd_num(a, "memory.current"), 64 * PG);
	assert_int_equal(rd_num(a, "memory.peak"), 64 * PG);
	assert_true(memcg_file_read(fd1, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 64 * PG);

	memcg_drain_all_stock(a);
	assert_int_equal(rd_num(a, "memory.current"), 4 * PG);
	assert_int_equal(rd_num(a, "memory.peak"), 64 * PG);

	/* reset on fd1: fd1 shows the usage, fd2 and fresh fds the global */
	assert_int_equal(memcg_file_write(fd1, "reset\n"), 0);
	assert_true(memcg_file_read(fd1, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 4 * PG);
	assert_true(memcg_file_read(fd2, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 64 * PG);
	assert_int_equal(rd_num(a, "memory.peak"), 64 * PG);

	/* charge more: 4 + 64 pages; the new peak is everyone's */
	v[4] = charge(e, a, MEMCG_FOLIO_ANON, 0);
	v[5] = charge(e, a, MEMCG_FOLIO_FILE, 0);
	assert_int_equal(rd_num(a, "memory.current"), 68 * PG);
	assert_true(memcg_file_read(fd1, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 68 * PG);
	assert_true(memcg_file_read(fd2, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 68 * PG);
	assert_int_equal(rd_num(a, "memory.peak"), 68 * PG);

	/*
	 * A reset on fd2 at 6 pages raises fd1 only to the usage: as in the
	 * kernel, fd1 forgets the 68 pages it saw since its own reset.
	 */
	memcg_drain_all_stock(a);
	assert_int_equal(memcg_file_write(fd2, "x"), 0);
	assert_true(memcg_file_read(fd2, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 6 * PG);
	assert_true(memcg_file_read(fd1, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 6 * PG);
	assert_int_equal(rd_num(a, "memory.peak"), 68 * PG);

	/* a zero-byte write does not register the fd */
	assert_int_equal(memcg_open(a, "memory.peak", &fd3), 0);
	assert_int_equal(memcg_file_write(fd3, ""), 0);
	assert_true(memcg_file_read(fd3, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 68 * PG);
	memcg_file_close(fd3);

	/* a closed fd leaves the watchers; the others keep working */
	memcg_file_close(fd2);
	v[6] = charge(e, a, MEMCG_FOLIO_ANON, 0);	/* 6 + 64 pages */
	assert_true(memcg_file_read(fd1, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 70 * PG);
	assert_int_equal(rd_num(a, "memory.peak"), 70 * PG);
	assert_int_equal(memcg_file_write(fd1, "reset"), 0);
	assert_true(memcg_file_read(fd1, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 70 * PG);
	memcg_drain_all_stock(a);
	assert_int_equal(memcg_file_write(fd1, "reset"), 0);
	assert_true(memcg_file_read(fd1, buf, sizeof(buf)) > 0);
	assert_int_equal(strtoull(buf, NULL, 10), 7 * PG);
	memcg_file_close(fd1);

	/* memory.swap.peak: the same per-fd file over the (empty) swap */
	assert_int_equal(memcg_open(a, "memory.swap.peak", &sw), 0);
	assert_int_equal(memcg_file_write(sw, "reset"), 0);
	assert_int_equal(memcg_file_read(sw, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "0\n");
	memcg_file_close(sw);

	put_all(e, v, 7);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

static const char *const event_keys[] = {
	"low", "high", "max", "oom", "oom_kill", "oom_group_kill",
};

/* Only "max" and "oom" set (a failed charge with no task to kill). */
static void assert_events_only_max(struct mem_cgroup *m, const char *file,
				   long long max, long long oom)
{
	const char *s = rd(m, file);
	size_t i;

	assert_keys(s, event_keys, ARRAY_SIZE(event_keys));
	for (i = 0; i < ARRAY_SIZE(event_keys); i++)
		assert_int_equal(key_value(s, event_keys[i]),
				 i == 2 ? max : i == 3 ? oom : 0);
}

/*
 * A charge that fails against a limit raises MEMCG_MAX on the cgroup whose
 * limit failed (mem_over_limit), counted in its memory.events.local and in
 * memory.events of it and each ancestor below the root.
 */
static void events_max_case(bool localevents)
{
	struct memcg_engine *e = engine_new(V2, localevents);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct mem_cgroup *b = mkdir_h(e, "A/B");
	struct mem_cgroup *c = mkdir_h(e, "A/B/C");
	struct folio *v[17], *forced;
	long long n, n2;
	int i;

	wr(b, "memory.max", "64K");		/* 16 pages */
	/* the batch does not fit: each charge retries with 1 page, no event */
	for (i = 0; i < 16; i++)
		v[i] = charge(e, c, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(rd_num(b, "memory.current"), 16 * PG);
	assert_string_equal(rd(b, "memory.events"), EVENTS_ZERO);
	assert_string_equal(rd(a, "memory.events"), EVENTS_ZERO);

	charge_fails(e, c, MEMCG_GFP_KERNEL);
	n = kv(b, "memory.events.local", "max");
	assert_true(n >= 1);
	/* no task to kill: mem_cgroup_oom() raises "oom", kills nothing */
	assert_int_equal(kv(b, "memory.events.local", "oom"), 1);
	assert_events_only_max(b, "memory.events.local", n, 1);
	assert_events_only_max(b, "memory.events", n, 1);
	assert_events_only_max(a, "memory.events", localevents ? 0 : n,
			       localevents ? 0 : 1);
	assert_events_only_max(a, "memory.events.local", 0, 0);
	assert_events_only_max(c, "memory.events", 0, 0);
	assert_events_only_max(c, "memory.events.local", 0, 0);

	/* a charge that may not block gives up before raising the event */
	charge_fails(e, c, MEMCG_GFP_NOWAIT);
	assert_int_equal(kv(b, "memory.events.local", "max"), n);

	/* a forced charge goes past max and raises it */
	forced = memcg_folio_alloc(e, MEMCG_FOLIO_ANON, 0);
	assert_non_null(forced);
	assert_int_equal(memcg_charge(e, forced, c, MEMCG_GFP_NOFAIL), 0);
	assert_int_equal(rd_num(b, "memory.current"), 17 * PG);
	n2 = kv(b, "memory.events.local", "max");
	assert_true(n2 > n);
	/* NOFAIL goes through the OOM path too before forcing */
	assert_events_only_max(b, "memory.events", n2, 2);
	assert_events_only_max(a, "memory.events", localevents ? 0 : n2,
			       localevents ? 0 : 2);
	assert_events_only_max(c, "memory.events.local", 0, 0);
	v[16] = forced;

	put_all(e, v, 17);
	/* events are counts: they stay when the usage goes */
	assert_int_equal(rd_num(b, "memory.current"), 0);
	assert_int_equal(kv(b, "memory.events", "max"), n2);

	memcg_put(c);
	memcg_put(b);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A/B/C"), 0);
	assert_int_equal(memcg_rmdir(e, "A/B"), 0);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

static void test_v2_events_max(void **state)
{
	events_max_case(false);
}

/* cgroup2's memory_localevents: memory.events stops at the first level */
static void test_v2_events_max_localevents(void **state)
{
	events_max_case(true);
}

/* memory.stat of Linux 6.1 (Debian 6.1.0-57), as `memcg kernel` printed it */
static const char *const v2_stat_keys[] = {
	"anon", "file", "kernel", "kernel_stack", "pagetables",
	"sec_pagetables", "percpu", "sock", "vmalloc", "shmem", "zswap",
	"zswapped", "file_mapped", "file_dirty", "file_writeback",
	"swapcached", "anon_thp", "file_thp", "shmem_thp", "inactive_anon",
	"active_anon", "inactive_file", "active_file", "unevictable",
	"slab_reclaimable", "slab_unreclaimable", "slab",
	"workingset_refault_anon", "workingset_refault_file",
	"workingset_activate_anon", "workingset_activate_file",
	"workingset_restore_anon", "workingset_restore_file",
	"workingset_nodereclaim", "pgscan", "pgsteal", "pgscan_kswapd",
	"pgscan_direct", "pgsteal_kswapd", "pgsteal_direct", "pgfault",
	"pgmajfault", "pgrefill", "pgactivate", "pgdeactivate", "pglazyfree",
	"pglazyfreed", "zswpin", "zswpout", "thp_fault_alloc",
	"thp_collapse_alloc",
	"pswpin", "pswpout",	/* the engine's, not the kernel's: still read */
};

/* memory.stat of Linux 6.12 (Debian 6.12.118), classic LRU and MGLRU alike */
static const char *const v2_stat_keys_6_12[] = {
	"anon", "file", "kernel", "kernel_stack", "pagetables",
	"sec_pagetables", "percpu", "sock", "vmalloc", "shmem", "zswap",
	"zswapped", "file_mapped", "file_dirty", "file_writeback",
	"swapcached", "anon_thp", "file_thp", "shmem_thp", "inactive_anon",
	"active_anon", "inactive_file", "active_file", "unevictable",
	"slab_reclaimable", "slab_unreclaimable", "slab",
	"workingset_refault_anon", "workingset_refault_file",
	"workingset_activate_anon", "workingset_activate_file",
	"workingset_restore_anon", "workingset_restore_file",
	"workingset_nodereclaim", "pgdemote_kswapd", "pgdemote_direct",
	"pgdemote_khugepaged", "pgpromote_success", "pgscan", "pgsteal",
	"pgscan_kswapd", "pgscan_direct", "pgscan_khugepaged",
	"pgsteal_kswapd", "pgsteal_direct", "pgsteal_khugepaged", "pgfault",
	"pgmajfault", "pgrefill", "pgactivate", "pgdeactivate", "pglazyfree",
	"pglazyfreed", "swpin_zero", "swpout_zero", "zswpin", "zswpout",
	"zswpwb", "thp_fault_alloc", "thp_collapse_alloc", "thp_swpout",
	"thp_swpout_fallback", "numa_pages_migrated", "numa_pte_updates",
	"numa_hint_faults",
	"pswpin", "pswpout",	/* the engine's, not the kernel's: still read */
};

struct v2_stat {
	unsigned long long anon, file, kernel, shmem, anon_thp, file_thp,
		shmem_thp;	/* pages */
};

static void assert_v2_stat(struct mem_cgroup *m, struct v2_stat want)
{
	const char *s = rd(m, "memory.stat");

	assert_keys(s, v2_stat_keys, sizeof(v2_stat_keys) / sizeof(v2_stat_keys[0]));
	assert_int_equal(key_value(s, "anon"), want.anon * PG);
	assert_int_equal(key_value(s, "file"), want.file * PG);
	assert_int_equal(key_value(s, "kernel"), want.kernel * PG);
	assert_int_equal(key_value(s, "shmem"), want.shmem * PG);
	assert_int_equal(key_value(s, "anon_thp"), want.anon_thp * PG);
	assert_int_equal(key_value(s, "file_thp"), want.file_thp * PG);
	assert_int_equal(key_value(s, "shmem_thp"), want.shmem_thp * PG);
}

/* memory.stat follows the charges by folio type; parents include children */
static void test_v2_stat(void **state)
{
	struct memcg_engine *e = engine_new(V2, false);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct mem_cgroup *b = mkdir_h(e, "A/B");
	struct v2_stat zero = { 0 };
	struct v2_stat wb = {
		.anon = 2 + 512, .file = 3, .kernel = 1, .anon_thp = 512,
	};
	/* shmem counts in file too, as NR_FILE_PAGES includes NR_SHMEM */
	struct v2_stat wa = {
		.anon = 2 + 512, .file = 3 + 1 + 512 + 512, .kernel = 1,
		.shmem = 1 + 512, .anon_thp = 512, .file_thp = 512,
		.shmem_thp = 512,
	};
	struct v2_stat wa_local = {
		.file = 1 + 512 + 512, .shmem = 1 + 512, .file_thp = 512,
		.shmem_thp = 512,
	};
	struct folio *v[10];
	size_t n = 0;

	assert_v2_stat(b, zero);
	assert_v2_stat(memcg_root(e), zero);

	v[n++] = charge(e, b, MEMCG_FOLIO_ANON, 0);
	v[n++] = charge(e, b, MEMCG_FOLIO_ANON, 0);
	v[n++] = charge(e, b, MEMCG_FOLIO_FILE, 0);
	v[n++] = charge(e, b, MEMCG_FOLIO_FILE, 0);
	v[n++] = charge(e, b, MEMCG_FOLIO_FILE, 0);
	v[n++] = charge(e, b, MEMCG_FOLIO_KERNEL, 0);
	v[n++] = charge(e, b, MEMCG_FOLIO_ANON, 9);
	assert_v2_stat(b, wb);
	assert_v2_stat(a, wb);

	v[n++] = charge(e, a, MEMCG_FOLIO_SHMEM, 0);
	v[n++] = charge(e, a, MEMCG_FOLIO_SHMEM, 9);
	v[n++] = charge(e, a, MEMCG_FOLIO_FILE, 9);
	assert_v2_stat(b, wb);
	assert_v2_stat(a, wa);
	assert_v2_stat(memcg_root(e), wa);

	/* stats count the folios, not the stock */
	memcg_drain_all_stock(a);
	assert_v2_stat(a, wa);
	assert_int_equal(rd_num(a, "memory.current"),
			 (2 + 512 + 3 + 1 + 1 + 512 + 512) * PG);

	/* uncharging B leaves A's own folios */
	put_all(e, v, 7);
	assert_v2_stat(b, zero);
	assert_v2_stat(a, wa_local);
	put_all(e, v + 7, 3);
	assert_v2_stat(a, zero);
	assert_v2_stat(memcg_root(e), zero);
	assert_int_equal(rd_num(a, "memory.current"), 0);

	memcg_put(b);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A/B"), 0);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

/* A reclaimable unit of a program's cache, for memory.reclaim to evict. */
struct stat_unit {
	struct memcg_lru_unit lru;
	struct obj_cgroup *objcg;
	bool live;
};

static int stat_unit_evict(struct memcg_lru_unit *u)
{
	struct stat_unit *su = (struct stat_unit *)u;

	memcg_obj_uncharge(su->objcg, PG, MEMCG_GFP_RECLAIMABLE);
	su->live = false;
	return 0;
}

static const struct memcg_lru_ops stat_unit_ops = { .evict = stat_unit_evict };

/*
 * memory.stat on the 6.12 profile: 6.12's keys in its order, and reclaim
 * counted as direct reclaim (pgscan_direct == pgscan), as the engine has
 * no kswapd and no khugepaged.
 */
static void test_v2_stat_6_12(void **state)
{
	struct memcg_engine *e = NULL;
	struct memcg_config cfg;
	struct stat_unit units[16];
	struct obj_cgroup *objcg;
	struct mem_cgroup *a;
	const char *s;
	size_t i;

	memcg_config_init(&cfg);
	cfg.memory_bytes = 64UL << 20;
	cfg.nr_cpus = 2;
	cfg.deterministic = true;
	cfg.kernel = MEMCG_KERNEL_6_12;
	cfg.reclaim = MEMCG_RECLAIM_CLASSIC;	/* the engine refuses MGLRU for now */
	assert_int_equal(memcg_engine_create(&cfg, &e), 0);
	memcg_set_cpu(0);
	a = mkdir_h(e, "A");
	objcg = memcg_objcg_get(a);
	for (i = 0; i < 16; i++) {
		units[i] = (struct stat_unit){ .objcg = objcg, .live = true };
		assert_int_equal(memcg_obj_charge(objcg, PG, MEMCG_GFP_RECLAIMABLE), 0);
		assert_int_equal(memcg_lru_add(a, &units[i].lru, PG, &stat_unit_ops), 0);
	}
	s = rd(a, "memory.stat");
	assert_keys(s, v2_stat_keys_6_12,
		    sizeof(v2_stat_keys_6_12) / sizeof(v2_stat_keys_6_12[0]));
	assert_int_equal(key_value(s, "pgscan"), 0);

	assert_int_equal(memcg_write(a, "memory.reclaim", "32K"), 0);
	s = rd(a, "memory.stat");
	assert_keys(s, v2_stat_keys_6_12,
		    sizeof(v2_stat_keys_6_12) / sizeof(v2_stat_keys_6_12[0]));
	assert_true(key_value(s, "pgsteal") >= 8);
	assert_true(key_value(s, "pgscan") >= key_value(s, "pgsteal"));
	assert_int_equal(key_value(s, "pgscan_direct"), key_value(s, "pgscan"));
	assert_int_equal(key_value(s, "pgsteal_direct"), key_value(s, "pgsteal"));
	assert_int_equal(key_value(s, "pgscan_kswapd"), 0);
	assert_int_equal(key_value(s, "pgscan_khugepaged"), 0);
	assert_int_equal(key_value(s, "pgsteal_kswapd"), 0);
	assert_int_equal(key_value(s, "pgsteal_khugepaged"), 0);
	/* the root's file sums the same subtree */
	assert_int_equal(kv(memcg_root(e), "memory.stat", "pgsteal_direct"),
			 key_value(s, "pgsteal"));

	for (i = 0; i < 16; i++) {
		if (!units[i].live)
			continue;
		assert_int_equal(memcg_lru_del(&units[i].lru), 0);
		memcg_obj_uncharge(objcg, PG, MEMCG_GFP_RECLAIMABLE);
	}
	memcg_objcg_put(objcg);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

static void assert_cgroup_stat(struct mem_cgroup *m, int live, int dying)
{
	const char *s = rd(m, "cgroup.stat");

	assert_int_equal(key_value(s, "nr_descendants"), live);
	assert_int_equal(key_value(s, "nr_dying_descendants"), dying);
}

/*
 * cgroup.stat: rmdir moves a cgroup from nr_descendants to
 * nr_dying_descendants of every ancestor; it stays dying while anything
 * holds a reference (here a handle), and leaves both when released.
 */
static void test_v2_cgroup_stat(void **state)
{
	/* the kernel's policy: charged folios pin a removed cgroup */
	struct memcg_engine *e = engine_new_policy(V2, false,
						   MEMCG_POLICY_KERNEL);
	struct mem_cgroup *root = memcg_root(e);
	struct mem_cgroup *a, *b, *c;

	assert_cgroup_stat(root, 0, 0);
	a = mkdir_h(e, "A");
	b = mkdir_h(e, "A/B");
	c = mkdir_h(e, "A/C");
	assert_int_equal(memcg_mkdir(e, "A/B/D", NULL), 0);
	assert_cgroup_stat(root, 4, 0);
	assert_cgroup_stat(a, 3, 0);
	assert_cgroup_stat(b, 1, 0);
	assert_cgroup_stat(c, 0, 0);

	/* nothing holds D: it is released at once */
	assert_int_equal(memcg_rmdir(e, "A/B/D"), 0);
	assert_cgroup_stat(root, 3, 0);
	assert_cgroup_stat(a, 2, 0);
	assert_cgroup_stat(b, 0, 0);

	/* rmdir with children is refused and changes nothing */
	assert_int_equal(memcg_rmdir(e, "A"), -EBUSY);
	assert_cgroup_stat(root, 3, 0);

	/* the handle keeps B dying */
	assert_int_equal(memcg_rmdir(e, "A/B"), 0);
	assert_false(memcg_is_online(b));
	assert_cgroup_stat(root, 2, 1);
	assert_cgroup_stat(a, 1, 1);
	memcg_put(b);
	assert_cgroup_stat(root, 2, 0);
	assert_cgroup_stat(a, 1, 0);

	/* a folio keeps C dying as well, until it is uncharged */
	{
		struct folio *f = charge(e, c, MEMCG_FOLIO_FILE, 0);

		memcg_put(c);
		assert_int_equal(memcg_rmdir(e, "A/C"), 0);
		assert_cgroup_stat(a, 0, 1);
		memcg_folio_put(e, f);
	}
	assert_cgroup_stat(root, 1, 0);
	assert_cgroup_stat(a, 0, 0);

	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	assert_cgroup_stat(root, 0, 0);
	engine_done(e);
}

/* v2 memory.max is set even below the usage: no -EBUSY (xchg, then drain) */
static void test_v2_max_below_usage(void **state)
{
	struct memcg_engine *e = engine_new(V2, false);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct folio *v[3];
	int i;

	for (i = 0; i < 3; i++)
		v[i] = charge(e, a, MEMCG_FOLIO_ANON, 0);
	assert_int_equal(rd_num(a, "memory.current"), 64 * PG);
	/* below the stocked usage: the write drains the stock */
	assert_int_equal(memcg_write(a, "memory.max", "8K"), 0);
	assert_string_equal(rd(a, "memory.max"), "8192\n");
	assert_int_equal(rd_num(a, "memory.current"), 3 * PG);
	/* and the limit holds for new charges */
	charge_fails(e, a, MEMCG_GFP_KERNEL);
	assert_int_equal(memcg_write(a, "memory.max", "max"), 0);
	put_all(e, v, 3);
	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

/* files of a removed cgroup: writes give -ENODEV (kernfs_get_active) */
static void test_v2_write_offline(void **state)
{
	struct memcg_engine *e = engine_new(V2, false);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct memcg_file *f, *ro;

	assert_int_equal(memcg_open(a, "memory.max", &f), 0);
	assert_int_equal(memcg_open(a, "memory.current", &ro), 0);
	/* a read-only file through an fd: -EINVAL, zero bytes 0 */
	assert_int_equal(memcg_file_write(ro, "1"), -EINVAL);
	assert_int_equal(memcg_file_write(ro, ""), 0);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	assert_int_equal(memcg_file_write(f, "1M"), -ENODEV);
	assert_int_equal(memcg_file_write(f, ""), -ENODEV);
	assert_int_equal(memcg_file_write(ro, "1"), -ENODEV);
	memcg_file_close(ro);
	memcg_file_close(f);
	memcg_put(a);
	engine_done(e);
}

/* a read into a buffer too small for the text gives -EFBIG */
static void test_read_efbig(void **state)
{
	struct memcg_engine *e = engine_new(V2, false);
	struct mem_cgroup *a = mkdir_h(e, "A");
	struct memcg_file *f;
	char buf[512];
	size_t need;

	/* "max\n" needs 5 bytes with its NUL */
	assert_int_equal(memcg_read(a, "memory.max", buf, 4), -EFBIG);
	assert_int_equal(memcg_read(a, "memory.max", buf, 5), 4);
	assert_string_equal(buf, "max\n");
	assert_int_equal(memcg_read(a, "memory.max", buf, 0), -EINVAL);
	assert_int_equal(memcg_read(a, "memory.max", NULL, 5), -EINVAL);

	need = strlen(EVENTS_ZERO) + 1;
	assert_int_equal(memcg_read(a, "memory.events", buf, need - 1), -EFBIG);
	assert_int_equal(memcg_read(a, "memory.events", buf, need),
			 (int)need - 1);
	assert_int_equal(memcg_read(a, "memory.stat", buf, 16), -EFBIG);
	assert_int_equal(memcg_read(memcg_root(e), "cgroup.stat", buf, 8),
			 -EFBIG);

	/* the same fd reads again with a bigger buffer */
	assert_int_equal(memcg_open(a, "memory.events", &f), 0);
	assert_int_equal(memcg_file_read(f, buf, 1), -EFBIG);
	assert_int_equal(memcg_file_read(f, buf, sizeof(buf)), (int)need - 1);
	assert_string_equal(buf, EVENTS_ZERO);
	memcg_file_close(f);

	memcg_put(a);
	assert_int_equal(memcg_rmdir(e, "A"), 0);
	engine_done(e);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_v2_peak_per_fd),
	cmocka_unit_test(test_v2_events_max),
	cmocka_unit_test(test_v2_events_max_localevents),
	cmocka_unit_test(test_v2_stat),
	cmocka_unit_test(test_v2_stat_6_12),
	cmocka_unit_test(test_v2_cgroup_stat),
	cmocka_unit_test(test_v2_max_below_usage),
	cmocka_unit_test(test_v2_write_offline),
	cmocka_unit_test(test_read_efbig),
};

int main(void)
{
	return cmocka_run_group_tests_name("cgroupfs_v2", tests, NULL, NULL);
}
