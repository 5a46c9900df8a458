// SPDX-License-Identifier: MIT
/*
 * The cgroup v2 memory controller's files (memory_files[] and
 * swap_files[] in the kernel's mm/memcontrol.c).
 */
#include <errno.h>
#include <string.h>

#include "mm/oom.h"

#include "core/cgroup.h"
#include "core/cgroupfs.h"
#include "lib/kstrtox.h"
#include "lib/string_helpers.h"

static unsigned long long bytes(long pages)
{
	return (unsigned long long)pages * MEMCG_PAGE_SIZE;
}

static void memory_current_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%llu\n", bytes(page_counter_read(&f->memcg->memory)));
}

static void memory_min_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_puts_memcg_tunable(s, atomic_load(&f->memcg->memory_prot.min));
}

static int memory_min_write(struct memcg_file *f, char *buf)
{
	long min;
	int err = page_counter_memparse(buf, "max", &min);

	if (err)
		return err;
	page_counter_set_min(&f->memcg->memory_prot, min);
	return 0;
}

static void memory_low_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_puts_memcg_tunable(s, atomic_load(&f->memcg->memory_prot.low));
}

static int memory_low_write(struct memcg_file *f, char *buf)
{
	long low;
	int err = page_counter_memparse(buf, "max", &low);

	if (err)
		return err;
	page_counter_set_low(&f->memcg->memory_prot, low);
	return 0;
}

static void memory_high_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_puts_memcg_tunable(s, atomic_load(&f->memcg->memory.high));
}

#define MAX_RECLAIM_RETRIES 16

/*
 * Set high, then reclaim down to it: drain the stocks once, and stop after
 * MAX_RECLAIM_RETRIES rounds that reclaim nothing. Never OOM-kills.
 */
static int memory_high_write(struct memcg_file *f, char *buf)
{
	struct mem_cgroup *memcg = f->memcg;
	int nr_retries = MAX_RECLAIM_RETRIES;
	bool drained = false;
	long high, usage;
	int err = page_counter_memparse(buf, "max", &high);

	if (err)
		return err;
	page_counter_set_high(&memcg->memory, high);
	for (;;) {
		usage = page_counter_read(&memcg->memory);
		if (usage <= high || !atomic_load(&memcg->online))
			break;
		if (!drained) {
			drain_all_stock(memcg);
			drained = true;
			continue;
		}
		if (!try_to_free_mem_cgroup_pages(memcg, usage - high,
						  MEMCG_GFP_KERNEL,
						  MEMCG_RECLAIM_MAY_SWAP, -1) &&
		    !nr_retries--)
			break;
	}
	return 0;
}

static void memory_max_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_puts_memcg_tunable(s, atomic_load(&f->memcg->memory.max));
}

/*
 * v2 sets the limit even below usage (no -EBUSY), then drains the stocks
 * once, reclaims (spending a retry on each round that frees nothing), and
 * then OOM-kills until usage fits or the killer finds nobody.
 *
 * The kernel's loop also stops on a pending signal. We have none, and a
 * concurrent write that raises the limit makes the OOM killer report
 * room (the margin is against the new limit) while usage stays above
 * ours: the loop would spin forever. It stops instead once another write
 * has replaced our limit; that write enforces its own. (A fix of the same
 * shape was posted to linux-mm for memory.max and memory.high.)
 */
static int memory_max_write(struct memcg_file *f, char *buf)
{
	struct mem_cgroup *memcg = f->memcg;
	int nr_reclaims = MAX_RECLAIM_RETRIES;
	bool drained = false;
	long max, usage;
	int err = page_counter_memparse(buf, "max", &max);

	if (err)
		return err;
	atomic_exchange(&memcg->memory.max, max);
	for (;;) {
		usage = page_counter_read(&memcg->memory);
		if (usage <= max || atomic_load(&memcg->memory.max) != max)
			break;
		if (!drained) {
			drain_all_stock(memcg);
			drained = true;
			continue;
		}
		if (nr_reclaims) {
			if (!try_to_free_mem_cgroup_pages(memcg, usage - max,
							  MEMCG_GFP_KERNEL,
							  MEMCG_RECLAIM_MAY_SWAP, -1))
				nr_reclaims--;
			continue;
		}
		memcg_memory_event(memcg, MEMCG_OOM);
		if (!mem_cgroup_out_of_memory(memcg->engine, memcg, 1))
			break;
	}
	return 0;
}

/* match_number()'s buffer: a longer number is -ERANGE, then -EINVAL */
#define NUMBER_BUF_LEN 24

/*
 * 6.12's one option, "swappiness=%d" through match_token() and
 * match_int(): simple_strtol() must take a byte (a lone '-' is taken, as
 * 0) and reach the token's end; then 0..200.
 */
static int reclaim_swappiness(const char *tok, int *swappiness)
{
	const char *num = tok + strlen("swappiness=");
	char *end;
	long v;

	if (strncmp(tok, "swappiness=", strlen("swappiness=")))
		return -EINVAL;
	v = simple_strtol(num, &end, 0);
	if (end == num || *end || strlen(num) >= NUMBER_BUF_LEN)
		return -EINVAL;
	if (v < 0 || v > 200)
		return -EINVAL;
	*swappiness = (int)v;
	return 0;
}

/*
 * 6.12: memparse() must take a byte; what follows, stripped, is split at
 * spaces (only ' ': a tab is part of a token) and empty tokens skipped.
 */
static int reclaim_parse_6_12(char *buf, long *nr_pages, int *swappiness)
{
	unsigned long long bytes;
	char *end, *tok;
	int err;

	bytes = memparse(buf, &end);
	if (end == buf)
		return -EINVAL;
	*nr_pages = (long)(bytes / MEMCG_PAGE_SIZE);
	for (buf = strstrip(end); buf; buf = end) {
		tok = buf;
		end = strchr(buf, ' ');
		if (end)
			*end++ = '\0';
		if (!*tok)
			continue;
		err = reclaim_swappiness(tok, swappiness);
		if (err)
			return err;
	}
	return 0;
}

/*
 * 6.1: the size alone, through page_counter_memparse(buf, ""): so an
 * empty value, a blank write, is PAGE_COUNTER_MAX pages.
 */
static int reclaim_parse_6_1(char *buf, long *nr_pages)
{
	return page_counter_memparse(buf, "", nr_pages);
}

/*
 * memory.reclaim: "SIZE" (6.1) or "SIZE [swappiness=N]..." (6.12).
 * Reclaims all that is left in one request (6.1, which overshoots: a
 * pass does not stop at the goal) or in batches of a quarter of it
 * (6.12), ignoring the target's own protection; -EAGAIN when
 * MAX_RECLAIM_RETRIES rounds free nothing before the goal.
 */
static int memory_reclaim_write(struct memcg_file *f, char *buf)
{
	bool k612 = f->memcg->engine->cfg.kernel == MEMCG_KERNEL_6_12;
	int nr_retries = MAX_RECLAIM_RETRIES, swappiness = -1, err;
	long nr_to_reclaim, reclaimed = 0;

	err = k612 ? reclaim_parse_6_12(buf, &nr_to_reclaim, &swappiness) :
		     reclaim_parse_6_1(buf, &nr_to_reclaim);
	if (err)
		return err;
	while (reclaimed < nr_to_reclaim) {
		long batch = nr_to_reclaim - reclaimed, got;

		if (k612)
			batch = batch / 4 < 32 ? 32 : batch / 4;
		got = try_to_free_mem_cgroup_pages(f->memcg, batch,
						   MEMCG_GFP_KERNEL,
						   MEMCG_RECLAIM_MAY_SWAP |
						   MEMCG_RECLAIM_PROACTIVE,
						   swappiness);
		if (!got && !nr_retries--)
			return -EAGAIN;
		reclaimed += got;
	}
	return 0;
}

/* memory.peak and memory.swap.peak: the all-time or the fd-local peak. */
static void peak_show(struct memcg_file *f, struct seqbuf *s,
		      struct page_counter *pc)
{
	long peak = atomic_load(&pc->watermark);

	if (f->peak >= 0) {
		long local = atomic_load(&pc->local_watermark);

		peak = f->peak > local ? f->peak : local;
	}
	seq_printf(s, "%llu\n", bytes(peak));
}

/* @swap: memory.swap.peak; the fds written sit in the cgroup core state */
static int peak_write(struct memcg_file *f, struct page_counter *pc, bool swap)
{
	struct cgroup *cgrp = memcg_cgroup_alloc(f->memcg);
	struct cds_list_head *watchers;
	struct memcg_file *peer;
	long usage;

	if (!cgrp)
		return -ENOMEM;
	watchers = swap ? &cgrp->swap_peaks : &cgrp->memory_peaks;
	pthread_mutex_lock(&cgrp->peaks_lock);
	usage = page_counter_read(pc);
	page_counter_reset_watermark(pc);
	cds_list_for_each_entry(peer, watchers, peak_node)
		if (usage > peer->peak)
			peer->peak = usage;
	if (!f->peak_list) {
		cds_list_add(&f->peak_node, watchers);
		f->peak_list = watchers;
	}
	f->peak = usage;
	pthread_mutex_unlock(&cgrp->peaks_lock);
	return 0;
}

static void memory_peak_show(struct memcg_file *f, struct seqbuf *s)
{
	peak_show(f, s, &f->memcg->memory);
}

static int memory_peak_write(struct memcg_file *f, char *buf)
{
	return peak_write(f, &f->memcg->memory, false);
}

static void swap_peak_show(struct memcg_file *f, struct seqbuf *s)
{
	peak_show(f, s, &f->memcg->swap);
}

static int swap_peak_write(struct memcg_file *f, char *buf)
{
	return peak_write(f, &f->memcg->swap, true);
}

static void events_show(struct seqbuf *s, atomic_long *ev)
{
	/* the keys of 6.1 and 6.12 (sock_throttled came later) */
	seq_printf(s, "low %ld\nhigh %ld\nmax %ld\noom %ld\noom_kill %ld\n"
		   "oom_group_kill %ld\n",
		   atomic_load(&ev[MEMCG_LOW]), atomic_load(&ev[MEMCG_HIGH]),
		   atomic_load(&ev[MEMCG_MAX]), atomic_load(&ev[MEMCG_OOM]),
		   atomic_load(&ev[MEMCG_OOM_KILL]),
		   atomic_load(&ev[MEMCG_OOM_GROUP_KILL]));
}

static void memory_events_show(struct memcg_file *f, struct seqbuf *s)
{
	events_show(s, f->memcg->memory_events);
}

static void memory_events_local_show(struct memcg_file *f, struct seqbuf *s)
{
	events_show(s, f->memcg->memory_events_local);
}

/*
 * memory.stat, key by key as Linux 6.1 and 6.12 print it for a cgroup
 * (memory_stat_format()), in the kernel's order and units. A key the
 * engine does not model prints 0, as the README lists.
 */
enum stat_kind {
	STAT_ZERO,	/* not modeled, or nothing of the kind here */
	STAT_PAGES,	/* an item in pages, shown in bytes */
	STAT_VALUE,	/* an item shown as kept: bytes (slab) or a count */
	STAT_SLAB,	/* slab_reclaimable + slab_unreclaimable, in bytes */
	STAT_LRU,	/* an LRU list's size, shown in bytes */
};

/* the kernels (enum memcg_kernel) that print a key */
#define K61		(1u << MEMCG_KERNEL_6_1)
#define K612		(1u << MEMCG_KERNEL_6_12)
#define KALL		(K61 | K612)

struct memory_stat {
	const char *name;
	unsigned char kind;	/* enum stat_kind */
	unsigned char kernels;
	int idx;		/* the item, or the LRU list */
};

#define PAGES(n, i)	{ n, STAT_PAGES, KALL, i }
#define VALUE(n, i)	{ n, STAT_VALUE, KALL, i }
#define LRU(n, l)	{ n, STAT_LRU, KALL, l }
#define ZERO(n, k)	{ n, STAT_ZERO, k, 0 }

static const struct memory_stat memory_stats[] = {
	PAGES("anon", MEMCG_ANON),
	PAGES("file", MEMCG_FILE),
	PAGES("kernel", MEMCG_KERNEL),
	ZERO("kernel_stack", KALL),
	PAGES("pagetables", MEMCG_PAGETABLES),
	ZERO("sec_pagetables", KALL),
	ZERO("percpu", KALL),
	PAGES("sock", MEMCG_SOCK),
	ZERO("vmalloc", KALL),
	PAGES("shmem", MEMCG_SHMEM),
	ZERO("zswap", KALL),
	ZERO("zswapped", KALL),
	ZERO("file_mapped", KALL),
	PAGES("file_dirty", MEMCG_FILE_DIRTY),
	PAGES("file_writeback", MEMCG_FILE_WRITEBACK),
	PAGES("swapcached", MEMCG_SWAPCACHE),
	PAGES("anon_thp", MEMCG_ANON_THP),
	PAGES("file_thp", MEMCG_FILE_THP),
	PAGES("shmem_thp", MEMCG_SHMEM_THP),
	LRU("inactive_anon", LRU_INACTIVE_ANON),
	LRU("active_anon", LRU_ACTIVE_ANON),
	LRU("inactive_file", LRU_INACTIVE_FILE),
	LRU("active_file", LRU_ACTIVE_FILE),
	LRU("unevictable", LRU_UNEVICTABLE),
	VALUE("slab_reclaimable", MEMCG_SLAB_RECLAIMABLE),
	VALUE("slab_unreclaimable", MEMCG_SLAB_UNRECLAIMABLE),
	{ "slab", STAT_SLAB, KALL, 0 },
	VALUE("workingset_refault_anon", MEMCG_WORKINGSET_REFAULT_ANON),
	VALUE("workingset_refault_file", MEMCG_WORKINGSET_REFAULT_FILE),
	VALUE("workingset_activate_anon", MEMCG_WORKINGSET_ACTIVATE_ANON),
	VALUE("workingset_activate_file", MEMCG_WORKINGSET_ACTIVATE_FILE),
	VALUE("workingset_restore_anon", MEMCG_WORKINGSET_RESTORE_ANON),
	VALUE("workingset_restore_file", MEMCG_WORKINGSET_RESTORE_FILE),
	VALUE("workingset_nodereclaim", MEMCG_WORKINGSET_NODERECLAIM),
	ZERO("pgdemote_kswapd", K612),
	ZERO("pgdemote_direct", K612),
	ZERO("pgdemote_khugepaged", K612),
	ZERO("pgpromote_success", K612),
	VALUE("pgscan", MEMCG_PGSCAN),
	VALUE("pgsteal", MEMCG_PGSTEAL),
	ZERO("pgscan_kswapd", KALL),
	VALUE("pgscan_direct", MEMCG_PGSCAN),	/* all reclaim here is direct */
	ZERO("pgscan_khugepaged", K612),
	ZERO("pgsteal_kswapd", KALL),
	VALUE("pgsteal_direct", MEMCG_PGSTEAL),
	ZERO("pgsteal_khugepaged", K612),
	VALUE("pgfault", MEMCG_PGFAULT),
	VALUE("pgmajfault", MEMCG_PGMAJFAULT),
	VALUE("pgrefill", MEMCG_PGREFILL),
	VALUE("pgactivate", MEMCG_PGACTIVATE),
	VALUE("pgdeactivate", MEMCG_PGDEACTIVATE),
	ZERO("pglazyfree", KALL),
	ZERO("pglazyfreed", KALL),
	ZERO("swpin_zero", K612),
	ZERO("swpout_zero", K612),
	ZERO("zswpin", KALL),
	ZERO("zswpout", KALL),
	ZERO("zswpwb", K612),
	VALUE("thp_fault_alloc", MEMCG_THP_FAULT_ALLOC),
	ZERO("thp_collapse_alloc", KALL),
	{ "thp_swpout", STAT_VALUE, K612, MEMCG_THP_SWPOUT },
	{ "thp_swpout_fallback", STAT_VALUE, K612, MEMCG_THP_SWPOUT_FALLBACK },
	ZERO("numa_pages_migrated", K612),
	ZERO("numa_pte_updates", K612),
	ZERO("numa_hint_faults", K612),
	/* not printed by 6.1 or 6.12: kept, last, while unit tests read them */
	VALUE("pswpin", MEMCG_PSWPIN),
	VALUE("pswpout", MEMCG_PSWPOUT),
};

#undef PAGES
#undef VALUE
#undef LRU
#undef ZERO

#define NR_MEMORY_STATS (sizeof(memory_stats) / sizeof(memory_stats[0]))

/* The items @st reads into @items, in order: how many. */
static size_t memory_stat_items(const struct memory_stat *st,
				enum memcg_stat_item *items)
{
	switch (st->kind) {
	case STAT_PAGES:
	case STAT_VALUE:
		items[0] = (enum memcg_stat_item)st->idx;
		return 1;
	case STAT_SLAB:
		items[0] = MEMCG_SLAB_RECLAIMABLE;
		items[1] = MEMCG_SLAB_UNRECLAIMABLE;
		return 2;
	case STAT_LRU:
		items[0] = (enum memcg_stat_item)(MEMCG_LRU_BASE + st->idx);
		return 1;
	}
	return 0;
}

static void memory_stat_show(struct memcg_file *f, struct seqbuf *s)
{
	unsigned int kernel = 1u << f->memcg->engine->cfg.kernel;
	enum memcg_stat_item items[NR_MEMORY_STATS + 1];
	long val[NR_MEMORY_STATS + 1], v;
	const struct memory_stat *st;
	size_t n = 0;

	for (st = memory_stats; st < memory_stats + NR_MEMORY_STATS; st++)
		if (st->kernels & kernel)
			n += memory_stat_items(st, items + n);
	memcg_page_state_many(f->memcg, items, n, val);
	n = 0;
	for (st = memory_stats; st < memory_stats + NR_MEMORY_STATS; st++) {
		if (!(st->kernels & kernel))
			continue;
		switch (st->kind) {
		case STAT_PAGES:
			v = val[n++] * (long)MEMCG_PAGE_SIZE;
			break;
		case STAT_VALUE:
			v = val[n++];
			break;
		case STAT_SLAB:
			v = val[n] + val[n + 1];
			n += 2;
			break;
		case STAT_LRU:
			v = val[n++] * (long)MEMCG_PAGE_SIZE;
			break;
		default:	/* STAT_ZERO */
			v = 0;
		}
		/* a sum that per-CPU deltas left below 0 reads 0, as the kernel's */
		seq_printf(s, "%s %ld\n", st->name, v < 0 ? 0 : v);
	}
}

static void oom_group_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%d\n", f->memcg->oom_group);
}

static int oom_group_write(struct memcg_file *f, char *buf)
{
	int v, err = kstrtoint(buf, 0, &v);

	if (err)
		return err;
	if (v != 0 && v != 1)
		return -EINVAL;
	f->memcg->oom_group = v;
	return 0;
}

static void swap_current_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%llu\n", bytes(page_counter_read(&f->memcg->swap)));
}

static void swap_high_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_puts_memcg_tunable(s, atomic_load(&f->memcg->swap.high));
}

static int swap_high_write(struct memcg_file *f, char *buf)
{
	long high;
	int err = page_counter_memparse(buf, "max", &high);

	if (err)
		return err;
	page_counter_set_high(&f->memcg->swap, high);
	return 0;
}

static void swap_max_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_puts_memcg_tunable(s, atomic_load(&f->memcg->swap.max));
}

static int swap_max_write(struct memcg_file *f, char *buf)
{
	long max;
	int err = page_counter_memparse(buf, "max", &max);

	if (err)
		return err;
	atomic_exchange(&f->memcg->swap.max, max);
	return 0;
}

static void swap_events_show(struct memcg_file *f, struct seqbuf *s)
{
	atomic_long *ev = f->memcg->memory_events;

	seq_printf(s, "high %ld\nmax %ld\nfail %ld\n",
		   atomic_load(&ev[MEMCG_SWAP_HIGH]),
		   atomic_load(&ev[MEMCG_SWAP_MAX]),
		   atomic_load(&ev[MEMCG_SWAP_FAIL]));
}

const struct cftype memcg_v2_files[] = {
	{ "cgroup.stat", 0, cgroup_stat_show, NULL },
	{ "memory.current", CFTYPE_NOT_ON_ROOT, memory_current_show, NULL },
	{ "memory.min", CFTYPE_NOT_ON_ROOT, memory_min_show, memory_min_write },
	{ "memory.low", CFTYPE_NOT_ON_ROOT, memory_low_show, memory_low_write },
	{ "memory.high", CFTYPE_NOT_ON_ROOT, memory_high_show, memory_high_write },
	{ "memory.max", CFTYPE_NOT_ON_ROOT, memory_max_show, memory_max_write },
	{ "memory.peak", CFTYPE_NOT_ON_ROOT | CFTYPE_WRITE_6_12,
	  memory_peak_show, memory_peak_write },
	{ "memory.reclaim", 0, NULL, memory_reclaim_write },
	{ "memory.events", CFTYPE_NOT_ON_ROOT, memory_events_show, NULL },
	{ "memory.events.local", CFTYPE_NOT_ON_ROOT, memory_events_local_show,
	  NULL },
	{ "memory.stat", 0, memory_stat_show, NULL },
	{ "memory.oom.group", CFTYPE_NOT_ON_ROOT, oom_group_show,
	  oom_group_write },
	{ "memory.swap.current", CFTYPE_NOT_ON_ROOT, swap_current_show, NULL },
	{ "memory.swap.high", CFTYPE_NOT_ON_ROOT, swap_high_show,
	  swap_high_write },
	{ "memory.swap.max", CFTYPE_NOT_ON_ROOT, swap_max_show, swap_max_write },
	{ "memory.swap.peak", CFTYPE_NOT_ON_ROOT | CFTYPE_ONLY_6_12,
	  swap_peak_show, swap_peak_write },
	{ "memory.swap.events", CFTYPE_NOT_ON_ROOT, swap_events_show, NULL },
	{ NULL, 0, NULL, NULL },
};
