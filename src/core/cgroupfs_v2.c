// SPDX-License-Identifier: MIT
/*
 * The cgroup v2 memory controller's files (memory_files[] and
 * swap_files[] in the kernel's mm/memcontrol.c).
 */
#include <errno.h>
#include <string.h>

#include "mm/oom.h"

#include "core/cgroupfs.h"

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
	seq_puts_memcg_tunable(s, atomic_load(&f->memcg->memory.min));
}

static int memory_min_write(struct memcg_file *f, char *buf)
{
	long min;
	int err = page_counter_memparse(buf, "max", &min);

	if (err)
		return err;
	page_counter_set_min(&f->memcg->memory, min);
	return 0;
}

static void memory_low_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_puts_memcg_tunable(s, atomic_load(&f->memcg->memory.low));
}

static int memory_low_write(struct memcg_file *f, char *buf)
{
	long low;
	int err = page_counter_memparse(buf, "max", &low);

	if (err)
		return err;
	page_counter_set_low(&f->memcg->memory, low);
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

/* "swappiness=N" (0..200) or "swappiness=max" after the size. */
static int parse_reclaim_options(char *opts, int *swappiness)
{
	char *tok, *save = NULL;
	int v, err;

	for (tok = strtok_r(opts, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		if (strncmp(tok, "swappiness=", 11))
			return -EINVAL;
		if (!strcmp(tok + 11, "max")) {
			*swappiness = SWAPPINESS_ANON_ONLY;
			continue;
		}
		err = memcg_kstrtoint(tok + 11, &v);
		if (err || v < 0 || v > 200)
			return -EINVAL;
		*swappiness = v;
	}
	return 0;
}

/*
 * memory.reclaim: "SIZE [swappiness=N|max]". Reclaims all that is left in
 * one request (6.1, which overshoots: a pass does not stop at the goal)
 * or in batches of a quarter of it (6.12), ignoring the target's own protection; -EAGAIN
 * when MAX_RECLAIM_RETRIES rounds free nothing before the goal.
 */
static int memory_reclaim_write(struct memcg_file *f, char *buf)
{
	int nr_retries = MAX_RECLAIM_RETRIES, swappiness = -1, err;
	long nr_to_reclaim, reclaimed = 0;
	char *end, *size = buf;

	end = buf + strcspn(buf, " \t\n");
	if (*end)
		*end++ = '\0';
	err = page_counter_memparse(size, "", &nr_to_reclaim);
	if (err || !*size)
		return -EINVAL;
	err = parse_reclaim_options(end, &swappiness);
	if (err)
		return err;
	while (reclaimed < nr_to_reclaim) {
		long batch = nr_to_reclaim - reclaimed, got;

		/* 6.1 asks for all that is left at once; 6.12 a quarter */
		if (f->memcg->engine->cfg.kernel == MEMCG_KERNEL_6_12)
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

static int peak_write(struct memcg_file *f, struct page_counter *pc,
		      struct cds_list_head *watchers)
{
	struct mem_cgroup *memcg = f->memcg;
	struct memcg_file *peer;
	long usage;

	pthread_mutex_lock(&memcg->peaks_lock);
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
	pthread_mutex_unlock(&memcg->peaks_lock);
	return 0;
}

static void memory_peak_show(struct memcg_file *f, struct seqbuf *s)
{
	peak_show(f, s, &f->memcg->memory);
}

static int memory_peak_write(struct memcg_file *f, char *buf)
{
	return peak_write(f, &f->memcg->memory, &f->memcg->memory_peaks);
}

static void swap_peak_show(struct memcg_file *f, struct seqbuf *s)
{
	peak_show(f, s, &f->memcg->swap);
}

static int swap_peak_write(struct memcg_file *f, char *buf)
{
	return peak_write(f, &f->memcg->swap, &f->memcg->swap_peaks);
}

static void events_show(struct seqbuf *s, atomic_long *ev)
{
	seq_printf(s, "low %ld\nhigh %ld\nmax %ld\noom %ld\noom_kill %ld\n"
		   "oom_group_kill %ld\nsock_throttled %ld\n",
		   atomic_load(&ev[MEMCG_LOW]), atomic_load(&ev[MEMCG_HIGH]),
		   atomic_load(&ev[MEMCG_MAX]), atomic_load(&ev[MEMCG_OOM]),
		   atomic_load(&ev[MEMCG_OOM_KILL]),
		   atomic_load(&ev[MEMCG_OOM_GROUP_KILL]),
		   atomic_load(&ev[MEMCG_SOCK_THROTTLED]));
}

static void memory_events_show(struct memcg_file *f, struct seqbuf *s)
{
	events_show(s, f->memcg->memory_events);
}

static void memory_events_local_show(struct memcg_file *f, struct seqbuf *s)
{
	events_show(s, f->memcg->memory_events_local);
}

/* memory.stat keys we model, in the kernel's order, sizes in bytes. */
static const struct {
	const char *name;
	enum memcg_stat_item idx;
} memory_stats[] = {
	{ "anon", MEMCG_ANON },
	{ "file", MEMCG_FILE },
	{ "kernel", MEMCG_KERNEL },
	{ "sock", MEMCG_SOCK },
	{ "shmem", MEMCG_SHMEM },
	{ "swapcached", MEMCG_SWAPCACHE },
	{ "anon_thp", MEMCG_ANON_THP },
	{ "file_thp", MEMCG_FILE_THP },
	{ "shmem_thp", MEMCG_SHMEM_THP },
};

static const char *const lru_names[NR_LRU_LISTS] = {
	"inactive_anon", "active_anon", "inactive_file", "active_file",
	"unevictable",
};

/* Refault detection (workingset.c), counted in pages, after the slabs. */
static const struct {
	const char *name;
	enum memcg_stat_item idx;
} workingset_stat[] = {
	{ "workingset_refault_anon", MEMCG_WORKINGSET_REFAULT_ANON },
	{ "workingset_refault_file", MEMCG_WORKINGSET_REFAULT_FILE },
	{ "workingset_activate_anon", MEMCG_WORKINGSET_ACTIVATE_ANON },
	{ "workingset_activate_file", MEMCG_WORKINGSET_ACTIVATE_FILE },
	{ "workingset_restore_anon", MEMCG_WORKINGSET_RESTORE_ANON },
	{ "workingset_restore_file", MEMCG_WORKINGSET_RESTORE_FILE },
	{ "workingset_nodereclaim", MEMCG_WORKINGSET_NODERECLAIM },
};

#define NR_WORKINGSET_STAT \
	(sizeof(workingset_stat) / sizeof(workingset_stat[0]))

/* Reclaim and VM event counts we model, in the kernel's order. */
static const struct {
	const char *name;
	enum memcg_stat_item idx;
} memory_events_stat[] = {
	{ "pgscan", MEMCG_PGSCAN },
	{ "pgsteal", MEMCG_PGSTEAL },
	{ "pswpin", MEMCG_PSWPIN },
	{ "pswpout", MEMCG_PSWPOUT },
	{ "pgfault", MEMCG_PGFAULT },
	{ "pgmajfault", MEMCG_PGMAJFAULT },
	{ "pgrefill", MEMCG_PGREFILL },
	{ "pgactivate", MEMCG_PGACTIVATE },
	{ "pgdeactivate", MEMCG_PGDEACTIVATE },
};

#define NR_MEMORY_STATS (sizeof(memory_stats) / sizeof(memory_stats[0]))
#define NR_EVENTS_STAT \
	(sizeof(memory_events_stat) / sizeof(memory_events_stat[0]))
/* every item memory.stat sums: memory_stats[], the two slabs, workingset, events */
#define NR_STAT_ITEMS (NR_MEMORY_STATS + 2 + NR_WORKINGSET_STAT + NR_EVENTS_STAT)

static void memory_stat_items(enum memcg_stat_item *items)
{
	size_t i, n = 0;

	for (i = 0; i < NR_MEMORY_STATS; i++)
		items[n++] = memory_stats[i].idx;
	items[n++] = MEMCG_SLAB_RECLAIMABLE;
	items[n++] = MEMCG_SLAB_UNRECLAIMABLE;
	for (i = 0; i < NR_WORKINGSET_STAT; i++)
		items[n++] = workingset_stat[i].idx;
	for (i = 0; i < NR_EVENTS_STAT; i++)
		items[n++] = memory_events_stat[i].idx;
}

static void memory_stat_show(struct memcg_file *f, struct seqbuf *s)
{
	enum memcg_stat_item items[NR_STAT_ITEMS];
	long val[NR_STAT_ITEMS];
	const long *slab = val + NR_MEMORY_STATS, *ws = slab + 2;
	const long *ev = ws + NR_WORKINGSET_STAT;
	size_t i;

	memory_stat_items(items);
	memcg_page_state_many(f->memcg, items, NR_STAT_ITEMS, val);
	for (i = 0; i < NR_MEMORY_STATS; i++)
		seq_printf(s, "%s %llu\n", memory_stats[i].name, bytes(val[i]));
	for (i = 0; i < NR_LRU_LISTS; i++)
		seq_printf(s, "%s %llu\n", lru_names[i],
			   bytes(lruvec_page_state(f->memcg, (enum lru_list)i)));
	/* object bytes, kept in bytes (NR_SLAB_*_B); slab is their sum */
	seq_printf(s, "slab_reclaimable %ld\nslab_unreclaimable %ld\nslab %ld\n",
		   slab[0], slab[1], slab[0] + slab[1]);
	for (i = 0; i < NR_WORKINGSET_STAT; i++)
		seq_printf(s, "%s %ld\n", workingset_stat[i].name, ws[i]);
	for (i = 0; i < NR_EVENTS_STAT; i++)
		seq_printf(s, "%s %ld\n", memory_events_stat[i].name, ev[i]);
}

static void oom_group_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%d\n", f->memcg->oom_group);
}

static int oom_group_write(struct memcg_file *f, char *buf)
{
	int v, err = memcg_kstrtoint(buf, &v);

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
	{ "memory.peak", CFTYPE_NOT_ON_ROOT, memory_peak_show, memory_peak_write },
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
	{ "memory.swap.peak", CFTYPE_NOT_ON_ROOT, swap_peak_show,
	  swap_peak_write },
	{ "memory.swap.events", CFTYPE_NOT_ON_ROOT, swap_events_show, NULL },
	{ NULL, 0, NULL, NULL },
};
