// SPDX-License-Identifier: MIT
/*
 * The cgroup v1 memory controller's files (mem_cgroup_legacy_files[] and
 * memsw_files[] in the kernel's mm/memcontrol-v1.c), over the memory and
 * memory+swap (memsw) counters.
 */
#include <errno.h>
#include <string.h>

#include "core/cgroupfs.h"
#include "lib/kstrtox.h"

static unsigned long long bytes(long pages)
{
	return (unsigned long long)pages * MEMCG_PAGE_SIZE;
}

/* The root is never charged: its usage comes from its statistics. */
static long mem_cgroup_usage(struct mem_cgroup *memcg, bool swap)
{
	static const enum memcg_stat_item items[] = {
		MEMCG_FILE, MEMCG_ANON, MEMCG_SWAP,
	};
	long val[3];

	if (!mem_cgroup_is_root(memcg))
		return page_counter_read(swap ? &memcg->memsw : &memcg->memory);
	memcg_page_state_many(memcg, items, swap ? 3 : 2, val);
	return val[0] + val[1] + (swap ? val[2] : 0);
}

static void usage_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%llu\n", bytes(mem_cgroup_usage(f->memcg, false)));
}

static void memsw_usage_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%llu\n", bytes(mem_cgroup_usage(f->memcg, true)));
}

static void limit_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%llu\n", bytes(atomic_load(&f->memcg->memory.max)));
}

static void memsw_limit_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%llu\n", bytes(atomic_load(&f->memcg->memsw.max)));
}

/*
 * mem_cgroup_resize_max: memory.max may not exceed memsw.max, nor memsw.max
 * fall below memory.max (-EINVAL). A limit below usage drains the stocks
 * once, then reclaims a batch at a time (without swapping for memsw,
 * where a swap-out frees nothing) until usage fits: -EBUSY when a round
 * reclaims nothing.
 */
static int resize_max(struct mem_cgroup *memcg, long max, bool memsw)
{
	static pthread_mutex_t memcg_max_mutex = PTHREAD_MUTEX_INITIALIZER;
	struct page_counter *counter = memsw ? &memcg->memsw : &memcg->memory;
	bool drained = false;
	int ret;

	if (mem_cgroup_is_root(memcg))
		return -EINVAL;
	for (;;) {
		pthread_mutex_lock(&memcg_max_mutex);
		if (memsw ? max < atomic_load(&memcg->memory.max) :
			    max > atomic_load(&memcg->memsw.max)) {
			pthread_mutex_unlock(&memcg_max_mutex);
			return -EINVAL;
		}
		ret = page_counter_set_max(counter, max);
		pthread_mutex_unlock(&memcg_max_mutex);
		if (!ret)
			return 0;
		if (!drained) {
			drain_all_stock(memcg);
			drained = true;
			continue;
		}
		if (!try_to_free_mem_cgroup_pages(memcg, 1, MEMCG_GFP_KERNEL,
						  memsw ? 0 :
						  MEMCG_RECLAIM_MAY_SWAP, -1))
			return -EBUSY;
	}
}

static int limit_write(struct memcg_file *f, char *buf)
{
	long max;
	int err = page_counter_memparse(buf, "-1", &max);

	return err ? err : resize_max(f->memcg, max, false);
}

static int memsw_limit_write(struct memcg_file *f, char *buf)
{
	long max;
	int err = page_counter_memparse(buf, "-1", &max);

	return err ? err : resize_max(f->memcg, max, true);
}

/*
 * memory.soft_limit_in_bytes: set as limit_in_bytes is parsed, on any
 * cgroup (the root too), never checked against usage. Shown only: the
 * engine has no kswapd, whose global reclaim is what reads it.
 */
static void soft_limit_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%llu\n", bytes(atomic_load(&f->memcg->v1->soft_limit)));
}

static int soft_limit_write(struct memcg_file *f, char *buf)
{
	long pages;
	int err = page_counter_memparse(buf, "-1", &pages);

	if (err)
		return err;
	atomic_store(&f->memcg->v1->soft_limit, pages);
	return 0;
}

/*
 * memory.force_empty: reclaim all the cgroup's pages, stopping after
 * MAX_RECLAIM_RETRIES rounds that free nothing; any text; not the root.
 */
#define MAX_RECLAIM_RETRIES 16

static int force_empty_write(struct memcg_file *f, char *buf)
{
	struct mem_cgroup *memcg = f->memcg;
	int nr_retries = MAX_RECLAIM_RETRIES;

	if (mem_cgroup_is_root(memcg))
		return -EINVAL;
	drain_all_stock(memcg);
	while (nr_retries && page_counter_read(&memcg->memory))
		if (!try_to_free_mem_cgroup_pages(memcg, 1, MEMCG_GFP_KERNEL,
						  MEMCG_RECLAIM_MAY_SWAP, -1))
			nr_retries--;
	return 0;
}

/*
 * memory.oom_control: "oom_kill_disable", "under_oom" (never: the OOM
 * killer here does not wait) and the kills. A write of 0 or 1 on a child;
 * 1, which makes the kernel's charges wait for room instead of killing,
 * is not modeled (-EOPNOTSUPP).
 */
static void oom_control_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "oom_kill_disable 0\nunder_oom 0\noom_kill %ld\n",
		   atomic_load(&f->memcg->memory_events[MEMCG_OOM_KILL]));
}

static int oom_control_write(struct memcg_file *f, char *buf)
{
	unsigned long long v;
	int err = kstrtoull(buf, 0, &v);

	if (err)
		return err;
	if (mem_cgroup_is_root(f->memcg) || v > 1)
		return -EINVAL;
	return v ? -EOPNOTSUPP : 0;
}

/*
 * cgroup.event_control: "EVENT_FD CONTROL_FD [ARGS]", two decimal numbers
 * each ending at a space (the second may end the text). The engine has no
 * file descriptors to take: a request that parses finds its event fd
 * closed, -EBADF, as the kernel's for a descriptor that is not open.
 */
static int event_control_write(struct memcg_file *f, char *buf)
{
	char *end;

	simple_strtoull(buf, &end, 10);
	if (*end != ' ')
		return -EINVAL;
	buf = end + 1;
	simple_strtoull(buf, &end, 10);
	if (*end != '\0' && *end != ' ')
		return -EINVAL;
	return -EBADF;
}

static void max_usage_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%llu\n", bytes(atomic_load(&f->memcg->memory.watermark)));
}

static void memsw_max_usage_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%llu\n", bytes(atomic_load(&f->memcg->memsw.watermark)));
}

/* Any write resets both peaks to the current usage. */
static void reset_watermarks(struct page_counter *c)
{
	long usage = page_counter_read(c);

	atomic_store(&c->local_watermark, usage);
	atomic_store(&c->watermark, usage);
}

static int max_usage_write(struct memcg_file *f, char *buf)
{
	reset_watermarks(&f->memcg->memory);
	return 0;
}

static int memsw_max_usage_write(struct memcg_file *f, char *buf)
{
	reset_watermarks(&f->memcg->memsw);
	return 0;
}

static void failcnt_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%ld\n", atomic_load(&f->memcg->memory.failcnt));
}

static void memsw_failcnt_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%ld\n", atomic_load(&f->memcg->memsw.failcnt));
}

static int failcnt_write(struct memcg_file *f, char *buf)
{
	atomic_store(&f->memcg->memory.failcnt, 0);
	return 0;
}

static int memsw_failcnt_write(struct memcg_file *f, char *buf)
{
	atomic_store(&f->memcg->memsw.failcnt, 0);
	return 0;
}

static void use_hierarchy_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "1\n");
}

/* write_u64 files (CFTYPE_WRITE_U64): kstrtoull() on the text as written */
static int use_hierarchy_write(struct memcg_file *f, char *buf)
{
	unsigned long long v;
	int err = kstrtoull(buf, 0, &v);

	if (err)
		return err;
	return v == 1 ? 0 : -EINVAL;
}

static void swappiness_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%d\n", f->memcg->swappiness);
}

static int swappiness_write(struct memcg_file *f, char *buf)
{
	unsigned long long v;
	int err = kstrtoull(buf, 0, &v);

	if (err)
		return err;
	if (v > 200)
		return -EINVAL;
	f->memcg->swappiness = (int)v;
	return 0;
}

/*
 * Charge moving (removed from the kernel in 6.12, deprecated in 6.1):
 * bit 0 moves a migrating task's anonymous pages and swap, bit 1 its
 * mapped file pages (tasks here map no files).
 */
static void move_charge_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%u\n", f->memcg->v1->move_charge_at_immigrate);
}

static int move_charge_write(struct memcg_file *f, char *buf)
{
	unsigned long long v;
	int err = kstrtoull(buf, 0, &v);

	if (err)
		return err;
	if (v & ~3ULL)
		return -EINVAL;
	f->memcg->v1->move_charge_at_immigrate = (unsigned)v;
	return 0;
}

/* memcg1_stat_format: local values, limits, then hierarchical totals. */
static const struct {
	const char *name;
	enum memcg_stat_item idx;
	bool pages;
} v1_stats[] = {
	{ "cache", MEMCG_FILE, true },
	{ "rss", MEMCG_ANON, true },
	{ "rss_huge", MEMCG_ANON_THP, true },
	{ "shmem", MEMCG_SHMEM, true },
	{ "swap", MEMCG_SWAP, true },
	{ "swapcached", MEMCG_SWAPCACHE, true },
	{ "pgpgin", MEMCG_PGPGIN, false },
	{ "pgpgout", MEMCG_PGPGOUT, false },
};

#define NR_V1_STATS (sizeof(v1_stats) / sizeof(v1_stats[0]))

static unsigned long long v1_value(size_t i, long v)
{
	return v1_stats[i].pages ? bytes(v) : (unsigned long long)v;
}

static void hierarchical_limits(struct mem_cgroup *memcg, long *mem, long *memsw)
{
	*mem = *memsw = PAGE_COUNTER_MAX;
	for (; memcg && !mem_cgroup_is_root(memcg); memcg = memcg->parent) {
		long m = atomic_load(&memcg->memory.max);
		long ms = atomic_load(&memcg->memsw.max);

		*mem = m < *mem ? m : *mem;
		*memsw = ms < *memsw ? ms : *memsw;
	}
}

static void v1_stat_show(struct memcg_file *f, struct seqbuf *s)
{
	struct mem_cgroup *memcg = f->memcg;
	enum memcg_stat_item items[NR_V1_STATS];
	long mem, memsw, total[NR_V1_STATS];
	size_t i;

	for (i = 0; i < NR_V1_STATS; i++)
		seq_printf(s, "%s %llu\n", v1_stats[i].name,
			   v1_value(i, memcg_page_state_local(memcg,
							       v1_stats[i].idx)));
	hierarchical_limits(memcg, &mem, &memsw);
	seq_printf(s, "hierarchical_memory_limit %llu\n", bytes(mem));
	seq_printf(s, "hierarchical_memsw_limit %llu\n", bytes(memsw));
	for (i = 0; i < NR_V1_STATS; i++)
		items[i] = v1_stats[i].idx;
	memcg_page_state_many(memcg, items, NR_V1_STATS, total);
	for (i = 0; i < NR_V1_STATS; i++)
		seq_printf(s, "total_%s %llu\n", v1_stats[i].name,
			   v1_value(i, total[i]));
}

/*
 * memory.kmem.* read the kmem counter, which follows the kernel memory
 * charged through objcgs (memcg1_account_kmem); memory.kmem.tcp.* the
 * tcpmem counter of socket buffers. As in 6.18, kmem.limit_in_bytes is
 * deprecated but present: it reads the kmem counter's max, never set, and
 * a write has no effect; the tcp limit is set as limit_in_bytes is, and
 * once written turns on the accounting of the cgroup's new sockets. The
 * kernel's memory.kmem.slabinfo (CONFIG_SLUB_DEBUG, deprecated, always
 * empty) is left out.
 */
static void kmem_usage_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%llu\n", bytes(page_counter_read(&f->memcg->v1->kmem)));
}

static void kmem_limit_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%llu\n", bytes(atomic_load(&f->memcg->v1->kmem.max)));
}

static int kmem_limit_write(struct memcg_file *f, char *buf)
{
	long max;
	int err = page_counter_memparse(buf, "-1", &max);

	if (err)
		return err;
	return mem_cgroup_is_root(f->memcg) ? -EINVAL : 0;
}

static void kmem_max_usage_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%llu\n", bytes(atomic_load(&f->memcg->v1->kmem.watermark)));
}

static int kmem_max_usage_write(struct memcg_file *f, char *buf)
{
	reset_watermarks(&f->memcg->v1->kmem);
	return 0;
}

static void kmem_failcnt_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%ld\n", atomic_load(&f->memcg->v1->kmem.failcnt));
}

static int kmem_failcnt_write(struct memcg_file *f, char *buf)
{
	atomic_store(&f->memcg->v1->kmem.failcnt, 0);
	return 0;
}

static void tcp_usage_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%llu\n", bytes(page_counter_read(&f->memcg->v1->tcpmem)));
}

static void tcp_limit_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%llu\n", bytes(atomic_load(&f->memcg->v1->tcpmem.max)));
}

/* memcg_update_tcp_max: -EBUSY below usage; the first success activates. */
static int tcp_limit_write(struct memcg_file *f, char *buf)
{
	static pthread_mutex_t tcp_max_mutex = PTHREAD_MUTEX_INITIALIZER;
	struct mem_cgroup *memcg = f->memcg;
	long max;
	int err = page_counter_memparse(buf, "-1", &max);

	if (err)
		return err;
	if (mem_cgroup_is_root(memcg))
		return -EINVAL;
	pthread_mutex_lock(&tcp_max_mutex);
	err = page_counter_set_max(&memcg->v1->tcpmem, max);
	if (!err)
		__atomic_store_n(&memcg->v1->tcpmem_active, true, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&tcp_max_mutex);
	return err;
}

static void tcp_max_usage_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%llu\n", bytes(atomic_load(&f->memcg->v1->tcpmem.watermark)));
}

static int tcp_max_usage_write(struct memcg_file *f, char *buf)
{
	reset_watermarks(&f->memcg->v1->tcpmem);
	return 0;
}

static void tcp_failcnt_show(struct memcg_file *f, struct seqbuf *s)
{
	seq_printf(s, "%ld\n", atomic_load(&f->memcg->v1->tcpmem.failcnt));
}

static int tcp_failcnt_write(struct memcg_file *f, char *buf)
{
	atomic_store(&f->memcg->v1->tcpmem.failcnt, 0);
	return 0;
}

const struct cftype memcg_v1_files[] = {
	{ "memory.usage_in_bytes", 0, usage_show, NULL },
	{ "memory.limit_in_bytes", 0, limit_show, limit_write },
	{ "memory.soft_limit_in_bytes", 0, soft_limit_show, soft_limit_write },
	{ "memory.max_usage_in_bytes", 0, max_usage_show, max_usage_write },
	{ "memory.failcnt", 0, failcnt_show, failcnt_write },
	{ "memory.memsw.usage_in_bytes", 0, memsw_usage_show, NULL },
	{ "memory.memsw.limit_in_bytes", 0, memsw_limit_show, memsw_limit_write },
	{ "memory.memsw.max_usage_in_bytes", 0, memsw_max_usage_show,
	  memsw_max_usage_write },
	{ "memory.memsw.failcnt", 0, memsw_failcnt_show, memsw_failcnt_write },
	{ "memory.stat", 0, v1_stat_show, NULL },
	{ "memory.force_empty", 0, NULL, force_empty_write },
	{ "memory.use_hierarchy", CFTYPE_WRITE_U64, use_hierarchy_show,
	  use_hierarchy_write },
	{ "memory.swappiness", CFTYPE_WRITE_U64, swappiness_show,
	  swappiness_write },
	{ "memory.move_charge_at_immigrate", CFTYPE_WRITE_U64,
	  move_charge_show, move_charge_write },
	{ "cgroup.event_control", 0, NULL, event_control_write },
	{ "memory.oom_control", CFTYPE_WRITE_U64, oom_control_show,
	  oom_control_write },
	{ "memory.pressure_level", 0, NULL, NULL },	/* no handler at all */
	{ "memory.kmem.limit_in_bytes", 0, kmem_limit_show, kmem_limit_write },
	{ "memory.kmem.usage_in_bytes", 0, kmem_usage_show, NULL },
	{ "memory.kmem.failcnt", 0, kmem_failcnt_show, kmem_failcnt_write },
	{ "memory.kmem.max_usage_in_bytes", 0, kmem_max_usage_show,
	  kmem_max_usage_write },
	{ "memory.kmem.tcp.limit_in_bytes", 0, tcp_limit_show, tcp_limit_write },
	{ "memory.kmem.tcp.usage_in_bytes", 0, tcp_usage_show, NULL },
	{ "memory.kmem.tcp.failcnt", 0, tcp_failcnt_show, tcp_failcnt_write },
	{ "memory.kmem.tcp.max_usage_in_bytes", 0, tcp_max_usage_show,
	  tcp_max_usage_write },
	{ NULL, 0, NULL, NULL },
};
