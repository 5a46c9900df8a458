// SPDX-License-Identifier: MIT
/*
 * Multi-threaded stress: threads doing random operations on one engine and
 * one cgroup tree for a bounded time, with the invariant auditor at every
 * quiescent point (workers paused at a barrier mid-round, and joined at
 * the end of each round), and a teardown that must leave every counter at
 * zero, only the root cgroup and every frame free.
 *
 * Phases (one cmocka test each):
 *
 *   random     every public operation at random: charge, put, batch put,
 *              migrate, split, move_account, drain, control-file reads and
 *              writes, mkdir/rmdir of per-thread and shared cgroups,
 *              lookup/put of handles, CPU changes, swap-out, swap-in
 *              (charging owners that other threads remove), slot frees
 *              and entries shared between threads; on the machine's CPUs
 *              (nr_cpus = 0, real CPU from rseq) in v2, and on one CPU
 *              (nr_cpus = 1: every thread fights for one stock) in v1
 *   rmdir      one thread creates and removes "victim" (and "victim/kid")
 *              in a loop while the others charge it through handles they
 *              looked up, mostly from its stock, and keep charging it
 *              offline, dropping their handle before their folios, and
 *              swap its pages out and back in around its removal
 *   migrate    two threads: the migrator charges a folio, gives the other
 *              an extra reference, and migrates the folio while the other
 *              polls for it and drops that reference (single or batch put)
 *   drain      chargers on a small subtree against a thread that drains
 *              every stock, lowers and raises memory.max (which drains)
 *              and reads memory.stat, memory.current and cgroup.stat; on
 *              the machine's CPUs and on one CPU
 *
 * Every thread calls memcg_set_cpu(-1): the CPU is the real one (rseq).
 * On the machine's CPUs the engine uses rseq CPU locks and stock
 * sequences (checked where the machine has them); on one CPU, atomic ones.
 * Each phase runs two rounds of MEMCG_STRESS_MS milliseconds (default 800):
 * the whole test takes about 10 s, and about 11 s under ThreadSanitizer.
 *
 * Worker threads cannot use cmocka's assertions (they longjmp to the
 * test's stack): CHECK() prints and aborts instead.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "audit.h"
#include "seed.h"

#define MAX_WORKERS 8
#define MAX_FOLIOS 192		/* per worker */
#define MAX_HANDLES 8		/* looked-up references per worker */
#define MAX_OWN 10		/* per-thread cgroups per worker */
#define MAX_OWN_DEPTH 3
#define NR_SHARED 3		/* "s0".."s2", each with a shared child "x" */
#define HUGE_ORDER 4		/* 16-page huge folios */
#define QUEUE_SIZE 512
#define BUF_SIZE 8192
#define MAX_ENTRIES 128		/* swap entries per worker */
#define MAX_CACHED 32		/* swapped-in folios per worker */
#define POOL_SIZE 64		/* entries shared between workers */
#define SWAP_BYTES (32 << 20)

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
	abort(); } } while (0)

#define CHECK_RET(ret, ...) do { int r_ = (ret), ok_ = 0; \
	int allowed_[] = { __VA_ARGS__ }; \
	for (size_t i_ = 0; i_ < sizeof(allowed_) / sizeof(int); i_++) \
		ok_ |= r_ == allowed_[i_]; \
	if (!ok_) { fprintf(stderr, "%s:%d: %s returned %d\n", __FILE__, \
			    __LINE__, #ret, r_); abort(); } } while (0)

/* A folio queue from a migrator to its partner, which drops references. */
struct folio_queue {
	pthread_mutex_t lock;
	struct folio *f[QUEUE_SIZE];
	unsigned head, tail;	/* tail - head entries */
};

enum { ST_CHARGE, ST_ENOMEM, ST_PUT, ST_MIGRATE, ST_SPLIT, ST_MOVE,
       ST_DRAIN, ST_READ, ST_WRITE, ST_MKDIR, ST_RMDIR, ST_LOOKUP,
       ST_RACE_PUT, ST_SWAPOUT, ST_SWAPIN, ST_SWAPFREE, ST_SHARE, NR_ST };

static const char *const st_names[NR_ST] = {
	"charge", "enomem", "put", "migrate", "split", "move", "drain",
	"read", "write", "mkdir", "rmdir", "lookup", "racing-put",
	"swap-out", "swap-in", "swap-free", "swap-share",
};

/* A folio swapped in and not yet known to have left the swap cache. */
struct swapped_in {
	struct folio *f;	/* one reference, ours */
	memcg_swp_entry_t entry;
	bool cached;		/* memcg_folio_free_swap() still to do */
};

struct own_cg {
	char path[160];
	struct mem_cgroup *h;	/* the handle from memcg_mkdir */
	int depth;
	bool online;
};

struct stress;

struct worker {
	struct stress *s;
	struct memcg_engine *e;
	pthread_t tid;
	int id;
	uint64_t rng;
	struct folio *folios[MAX_FOLIOS];	/* one reference each */
	int nr_folios;
	struct mem_cgroup *handles[MAX_HANDLES];
	int nr_handles;
	struct own_cg own[MAX_OWN];
	int nr_own;
	int next_name;
	/* phase roles */
	struct folio_queue *q;	/* migrate: my partner's queue, or mine */
	bool special;		/* rmdir: the remover; drain: the drainer;
				   migrate: the putter */
	int victim_steps;	/* rmdir: steps until the next rmdir */
	unsigned idle;		/* migrate: empty polls of the putter */
	bool victim_online, kid_online;
	memcg_swp_entry_t entries[MAX_ENTRIES];	/* a pte reference each */
	int nr_entries;
	struct swapped_in swapped[MAX_CACHED];
	int nr_swapped;
	long stats[NR_ST];
};


struct stress {
	struct memcg_engine *e;
	bool v1;
	int nr_workers;
	struct worker w[MAX_WORKERS];
	struct folio_queue queues[MAX_WORKERS];
	void (*step)(struct worker *w);
	atomic_bool stop;
	atomic_bool pause;
	pthread_barrier_t barrier;
	long total[NR_ST];
	/* entries a worker duplicated for any other to take */
	pthread_mutex_t pool_lock;
	memcg_swp_entry_t pool[POOL_SIZE];
	int nr_pool;
};

/* --- helpers --- */

static uint64_t rnd(struct worker *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static unsigned pick(struct worker *w, unsigned n)
{
	return (unsigned)(rnd(w) % n);
}

static long round_ms(void)
{
	const char *env = getenv("MEMCG_STRESS_MS");
	long ms = env ? atol(env) : 800;

	return ms > 0 ? ms : 800;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static const char *max_file(struct stress *s)
{
	return s->v1 ? "memory.limit_in_bytes" : "memory.max";
}

static const char *current_file(struct stress *s)
{
	return s->v1 ? "memory.usage_in_bytes" : "memory.current";
}

static void queue_init(struct folio_queue *q)
{
	pthread_mutex_init(&q->lock, NULL);
	q->head = q->tail = 0;
}

static bool queue_push(struct folio_queue *q, struct folio *f)
{
	bool ok;

	pthread_mutex_lock(&q->lock);
	ok = q->tail - q->head < QUEUE_SIZE;
	if (ok)
		q->f[q->tail++ % QUEUE_SIZE] = f;
	pthread_mutex_unlock(&q->lock);
	return ok;
}

static unsigned queue_len(struct folio_queue *q)
{
	unsigned n;

	pthread_mutex_lock(&q->lock);
	n = q->tail - q->head;
	pthread_mutex_unlock(&q->lock);
	return n;
}

static size_t queue_pop(struct folio_queue *q, struct folio **out, size_t max)
{
	size_t n = 0;

	pthread_mutex_lock(&q->lock);
	while (n < max && q->head != q->tail)
		out[n++] = q->f[q->head++ % QUEUE_SIZE];
	pthread_mutex_unlock(&q->lock);
	return n;
}

/* Busy-wait a few hundred nanoseconds, to vary the interleaving. */
static void spin(struct worker *w)
{
	unsigned i, n = pick(w, 256);

	for (i = 0; i < n; i++)
		__asm__ __volatile__("" ::: "memory");
}

/* --- folios --- */

static void add_folio(struct worker *w, struct folio *f)
{
	CHECK(w->nr_folios < MAX_FOLIOS);
	w->folios[w->nr_folios++] = f;
}

static struct folio *take_folio(struct worker *w, int i)
{
	struct folio *f = w->folios[i];

	w->folios[i] = w->folios[--w->nr_folios];
	return f;
}

/* Charge a new folio to @m; keep it on success. */
static void do_charge(struct worker *w, struct mem_cgroup *m, unsigned order)
{
	struct folio *f;
	unsigned gfp = pick(w, 20) ? MEMCG_GFP_KERNEL : MEMCG_GFP_NOFAIL;
	int ret;

	if (w->nr_folios >= MAX_FOLIOS)
		return;
	f = memcg_folio_alloc(w->e, (enum memcg_folio_type)pick(w, 4), order);
	if (!f)
		return;
	ret = memcg_charge(w->e, f, m, gfp);
	CHECK_RET(ret, 0, -ENOMEM);
	if (ret) {
		CHECK(!memcg_folio_memcg(w->e, f));
		memcg_folio_put(w->e, f);
		w->stats[ST_ENOMEM]++;
		return;
	}
	/* @m, or an ancestor once an rmdir reparented its objcg */
	CHECK(mem_cgroup_is_descendant(m, memcg_folio_memcg(w->e, f)));
	add_folio(w, f);
	w->stats[ST_CHARGE]++;
}

static void do_put(struct worker *w)
{
	if (!w->nr_folios)
		return;
	memcg_folio_put(w->e, take_folio(w, (int)pick(w, (unsigned)w->nr_folios)));
	w->stats[ST_PUT]++;
}

static void do_batch_put(struct worker *w)
{
	struct folio *batch[32];
	size_t n = 0, want = 1 + pick(w, 32);

	/* from the end: consecutive folios often share a cgroup */
	while (n < want && w->nr_folios)
		batch[n++] = take_folio(w, w->nr_folios - 1);
	memcg_folios_put(w->e, batch, n);
	w->stats[ST_PUT] += (long)n;
}

/* Migrate one of my folios to a new one; give @q an extra ref on the old. */
static void do_migrate(struct worker *w, struct folio_queue *q)
{
	struct folio *old, *new;
	struct mem_cgroup *m;
	int i;

	if (!w->nr_folios)
		return;
	i = (int)pick(w, (unsigned)w->nr_folios);
	old = w->folios[i];
	new = memcg_folio_alloc(w->e, (enum memcg_folio_type)folio_type(old),
				folio_order(old));
	if (!new)
		return;
	/* the partner drops its reference while we migrate */
	if (q && queue_len(q) < 4) {
		memcg_folio_get(w->e, old);
		CHECK(queue_push(q, old));
		spin(w);
	}
	m = memcg_folio_memcg(w->e, old);
	CHECK(memcg_migrate(w->e, old, new) == 0);
	/* @m, or an ancestor if an rmdir reparented its objcg meanwhile */
	CHECK(mem_cgroup_is_descendant(m, memcg_folio_memcg(w->e, new)));
	CHECK(!memcg_folio_memcg(w->e, old));
	memcg_folio_put(w->e, old);
	w->folios[i] = new;
	w->stats[ST_MIGRATE]++;
}

/* Split one of my huge folios; only exclusively held folios are split. */
static void do_split(struct worker *w)
{
	struct folio *pieces[1 << HUGE_ORDER];
	int i, j;

	if (!w->nr_folios || w->nr_folios > MAX_FOLIOS - (1 << HUGE_ORDER))
		return;
	i = (int)pick(w, (unsigned)w->nr_folios);
	if (memcg_folio_nr_pages(w->folios[i]) == 1)
		return;
	CHECK(memcg_split_folio(w->e, w->folios[i], pieces) == 0);
	w->folios[i] = pieces[0];
	for (j = 1; j < 1 << HUGE_ORDER; j++)
		add_folio(w, pieces[j]);
	w->stats[ST_SPLIT]++;
}

/* --- swap --- */

static struct mem_cgroup *pick_target(struct worker *w);

/*
 * Swap-out trades my folio reference for entry references; swap-in of an
 * entry gives a folio in the swap cache, which another worker may have
 * swapped in too, or whose entry others may still hold (shared through
 * the pool). Such folios are only ever dropped: first out of the swap
 * cache (-EBUSY while some worker holds an entry; -EINVAL once another
 * holder took it out), then put. Swap-in charges the entry's owner, which
 * its worker may be removing meanwhile (the seeds' swap-in race).
 */
static void do_swap_out(struct worker *w)
{
	memcg_swp_entry_t entry;
	struct folio *f;
	long nr, j;
	int i, ret;

	if (!w->nr_folios)
		return;
	i = (int)pick(w, (unsigned)w->nr_folios);
	f = w->folios[i];
	nr = memcg_folio_nr_pages(f);
	if ((folio_type(f) != FOLIO_ANON && folio_type(f) != FOLIO_SHMEM) ||
	    w->nr_entries + nr > MAX_ENTRIES)
		return;
	ret = memcg_swap_out(w->e, f, &entry);
	CHECK_RET(ret, 0, -ENOSPC, -ENOMEM);
	if (ret)
		return;
	take_folio(w, i);
	for (j = 0; j < nr; j++)
		w->entries[w->nr_entries++] =
			(memcg_swp_entry_t){ entry.val + (uint32_t)j };
	w->stats[ST_SWAPOUT]++;
}

static memcg_swp_entry_t take_entry(struct worker *w, int k)
{
	memcg_swp_entry_t entry = w->entries[k];

	w->entries[k] = w->entries[--w->nr_entries];
	return entry;
}

static void do_swap_in(struct worker *w)
{
	struct swapped_in *si;
	memcg_swp_entry_t entry;
	struct folio *f;
	int k, ret;

	if (!w->nr_entries || w->nr_swapped == MAX_CACHED)
		return;
	k = (int)pick(w, (unsigned)w->nr_entries);
	entry = w->entries[k];
	ret = memcg_swapin(w->e, entry, pick_target(w),
			   pick(w, 10) ? MEMCG_GFP_KERNEL : MEMCG_GFP_NOFAIL, &f);
	CHECK_RET(ret, 0, -ENOMEM);
	if (ret)
		return;
	CHECK(memcg_swap_free(w->e, take_entry(w, k)) == 0);	/* pte maps it */
	si = &w->swapped[w->nr_swapped++];
	*si = (struct swapped_in){ f, entry, true };
	w->stats[ST_SWAPIN]++;
}

/* Drop a swapped-in folio once it is out of the swap cache. */
static bool drop_swapped(struct worker *w, int i)
{
	struct swapped_in *si = &w->swapped[i];

	if (si->cached) {
		int ret = memcg_folio_free_swap(w->e, si->f, si->entry);

		CHECK_RET(ret, 0, -EBUSY, -EINVAL);
		if (ret == -EBUSY)
			return false;
		si->cached = false;
	}
	memcg_folio_put(w->e, si->f);
	*si = w->swapped[--w->nr_swapped];
	return true;
}

static void do_swap_free(struct worker *w)
{
	if (!w->nr_entries)
		return;
	CHECK(memcg_swap_free(w->e, take_entry(w, (int)pick(w,
			(unsigned)w->nr_entries))) == 0);
	w->stats[ST_SWAPFREE]++;
}

/* Give a duplicate of one of my entries to the pool, or take one. */
static void do_swap_share(struct worker *w)
{
	struct stress *s = w->s;
	memcg_swp_entry_t entry;

	pthread_mutex_lock(&s->pool_lock);
	if (pick(w, 2) && s->nr_pool && w->nr_entries < MAX_ENTRIES) {
		w->entries[w->nr_entries++] = s->pool[--s->nr_pool];
	} else if (w->nr_entries && s->nr_pool < POOL_SIZE) {
		entry = w->entries[pick(w, (unsigned)w->nr_entries)];
		CHECK(memcg_swap_dup(w->e, entry) == 0);
		s->pool[s->nr_pool++] = entry;
	}
	pthread_mutex_unlock(&s->pool_lock);
	w->stats[ST_SHARE]++;
}

static void step_swap(struct worker *w)
{
	unsigned op = pick(w, 100);

	if (op < 35)
		do_swap_out(w);
	else if (op < 60)
		do_swap_in(w);
	else if (op < 75)
		do_swap_free(w);
	else if (op < 85)
		do_swap_share(w);
	else if (w->nr_swapped)
		drop_swapped(w, (int)pick(w, (unsigned)w->nr_swapped));
}

/* --- handles and cgroups --- */

static struct mem_cgroup *pick_target(struct worker *w)
{
	unsigned n = (unsigned)(w->nr_handles + w->nr_own) + 1;
	unsigned i = pick(w, n);

	if (i < (unsigned)w->nr_handles)
		return w->handles[i];
	i -= (unsigned)w->nr_handles;
	if (i < (unsigned)w->nr_own)
		return w->own[i].h;
	return memcg_root(w->e);
}

/*
 * Whether this thread holds a handle on @m. memcg_move_account() is only
 * asked to move a charge away from such a cgroup: see do_move().
 */
static bool holds_handle(struct worker *w, struct mem_cgroup *m)
{
	int i;

	if (m == memcg_root(w->e))
		return true;
	for (i = 0; i < w->nr_handles; i++)
		if (w->handles[i] == m)
			return true;
	for (i = 0; i < w->nr_own; i++)
		if (w->own[i].h == m)
			return true;
	return false;
}

/*
 * mem_cgroup_move_account() once dropped the folio's reference on the old
 * owner before uncharging it: if that was the last reference (an offline
 * cgroup nobody else pins), another thread could release and free the
 * cgroup in between (a heap-use-after-free in page_counter_cancel() under
 * ASan). Moves therefore also start from cgroups the mover does not pin;
 * -DSTRESS_MOVE_FROM_UNPINNED=0 restricts them to pinned ones.
 */
#ifndef STRESS_MOVE_FROM_UNPINNED
#define STRESS_MOVE_FROM_UNPINNED 1
#endif

static void do_move(struct worker *w)
{
	struct mem_cgroup *to = pick_target(w), *from;
	struct folio *f;
	int ret;

	if (!w->nr_folios)
		return;
	f = w->folios[pick(w, (unsigned)w->nr_folios)];
	from = memcg_folio_memcg(w->e, f);
	if (!STRESS_MOVE_FROM_UNPINNED && !holds_handle(w, from))
		return;
	ret = memcg_move_account(w->e, f, to);
	CHECK_RET(ret, 0, -ENOMEM);
	CHECK(ret ? mem_cgroup_is_descendant(from, memcg_folio_memcg(w->e, f)) :
		    memcg_folio_memcg(w->e, f) == to);
	w->stats[ST_MOVE]++;
}

static void add_handle(struct worker *w, struct mem_cgroup *m)
{
	if (w->nr_handles == MAX_HANDLES) {
		int i = (int)pick(w, MAX_HANDLES);

		memcg_put(w->handles[i]);
		w->handles[i] = m;
		return;
	}
	w->handles[w->nr_handles++] = m;
}

static void drop_handle(struct worker *w)
{
	int i;

	if (!w->nr_handles)
		return;
	i = (int)pick(w, (unsigned)w->nr_handles);
	memcg_put(w->handles[i]);
	w->handles[i] = w->handles[--w->nr_handles];
}

static void shared_path(struct worker *w, char *buf, size_t len)
{
	unsigned k = pick(w, NR_SHARED);

	if (pick(w, 3))
		snprintf(buf, len, "s%u", k);
	else
		snprintf(buf, len, "s%u/x", k);
}

static void do_lookup(struct worker *w)
{
	struct mem_cgroup *m;
	char path[160];
	int ret;

	if (w->nr_own && pick(w, 3) == 0)
		snprintf(path, sizeof(path), "%s",
			 w->own[pick(w, (unsigned)w->nr_own)].path);
	else if (pick(w, 8) == 0)
		snprintf(path, sizeof(path), ".");
	else
		shared_path(w, path, sizeof(path));
	ret = memcg_lookup(w->e, path, &m);
	CHECK_RET(ret, 0, -ENOENT);
	if (!ret)
		add_handle(w, m);
	w->stats[ST_LOOKUP]++;
}

static void do_shared_mkdir(struct worker *w)
{
	char path[32];

	shared_path(w, path, sizeof(path));
	CHECK_RET(memcg_mkdir(w->e, path, NULL), 0, -EEXIST, -ENOENT);
	w->stats[ST_MKDIR]++;
}

static void do_shared_rmdir(struct worker *w)
{
	char path[32];

	shared_path(w, path, sizeof(path));
	CHECK_RET(memcg_rmdir(w->e, path), 0, -ENOENT, -EBUSY);
	w->stats[ST_RMDIR]++;
}

static bool own_has_online_child(struct worker *w, int i)
{
	size_t len = strlen(w->own[i].path);
	int j;

	for (j = 0; j < w->nr_own; j++)
		if (j != i && w->own[j].online &&
		    !strncmp(w->own[j].path, w->own[i].path, len) &&
		    w->own[j].path[len] == '/')
			return true;
	return false;
}

/* mkdir a per-thread cgroup under the root, a shared one or one of mine. */
static void do_own_mkdir(struct worker *w)
{
	struct own_cg *c;
	char parent[128] = "";
	int depth = 1, ret;

	if (w->nr_own == MAX_OWN)
		return;
	c = &w->own[w->nr_own];
	switch (pick(w, 3)) {
	case 0:
		break;
	case 1:
		snprintf(parent, sizeof(parent), "s%u", pick(w, NR_SHARED));
		depth = 2;
		break;
	default: {
		int p;

		if (!w->nr_own)
			break;
		p = (int)pick(w, (unsigned)w->nr_own);
		if (!w->own[p].online || w->own[p].depth >= MAX_OWN_DEPTH)
			return;
		/* paths stay short: depth <= 3, names of <= 24 chars */
		snprintf(parent, sizeof(parent), "%.100s", w->own[p].path);
		depth = w->own[p].depth + 1;
		break;
	}
	}
	snprintf(c->path, sizeof(c->path), "%.100s%st%d_%d", parent,
		 parent[0] ? "/" : "", w->id, w->next_name++);
	ret = memcg_mkdir(w->e, c->path, &c->h);
	/* a shared parent may have been removed */
	CHECK_RET(ret, 0, -ENOENT);
	if (ret)
		return;
	c->depth = depth;
	c->online = true;
	w->nr_own++;
	w->stats[ST_MKDIR]++;
}

/* rmdir one of my cgroups, or forget (put) one already removed. */
static void do_own_rmdir(struct worker *w)
{
	int i;

	if (!w->nr_own)
		return;
	i = (int)pick(w, (unsigned)w->nr_own);
	if (!w->own[i].online) {
		memcg_put(w->own[i].h);
		w->own[i] = w->own[--w->nr_own];
		return;
	}
	if (own_has_online_child(w, i)) {
		CHECK(memcg_rmdir(w->e, w->own[i].path) == -EBUSY);
		return;
	}
	CHECK(memcg_rmdir(w->e, w->own[i].path) == 0);
	CHECK(!memcg_is_online(w->own[i].h));
	w->own[i].online = false;
	w->stats[ST_RMDIR]++;
}

static void do_read(struct worker *w, struct mem_cgroup *m)
{
	static const char *const v2_files[] = {
		"memory.stat", "memory.current", "memory.max", "cgroup.stat",
	};
	static const char *const v1_files[] = {
		"memory.stat", "memory.usage_in_bytes", "memory.limit_in_bytes",
		"memory.memsw.usage_in_bytes",
	};
	const char *name = (w->s->v1 ? v1_files : v2_files)[pick(w, 4)];
	char buf[BUF_SIZE];
	int ret = memcg_read(m, name, buf, sizeof(buf));

	/* -ENOENT: not on the root; -ENODEV: removed meanwhile */
	CHECK_RET(ret < 0 ? ret : 0, 0, -ENOENT, -ENODEV);
	w->stats[ST_READ]++;
}

static void do_write_max(struct worker *w, struct mem_cgroup *m)
{
	static const char *const limits[] = {
		"max", "max", "max", "max", "max", "8M", "2M", "256K",
	};
	const char *limit = limits[pick(w, 8)];
	int ret;

	if (w->s->v1 && !strcmp(limit, "max"))
		limit = "-1";
	ret = memcg_write(m, max_file(w->s), limit);
	/* v1 refuses a limit below usage, and any limit on the root */
	if (m == memcg_root(w->e))
		CHECK_RET(ret, -ENOENT, -EINVAL);
	else
		CHECK_RET(ret, 0, -ENODEV, -EBUSY);
	w->stats[ST_WRITE]++;
}

/* --- phase steps --- */

static void step_random(struct worker *w)
{
	unsigned op = pick(w, 100);

	if (op < 28)
		do_charge(w, pick_target(w), pick(w, 12) ? 0 : HUGE_ORDER);
	else if (op < 42)
		do_put(w);
	else if (op < 46)
		do_batch_put(w);
	else if (op < 51)
		do_migrate(w, NULL);
	else if (op < 53)
		do_split(w);
	else if (op < 58)
		do_move(w);
	else if (op < 61) {
		memcg_drain_all_stock(pick_target(w));
		w->stats[ST_DRAIN]++;
	} else if (op < 66)
		do_read(w, pick_target(w));
	else if (op < 69)
		do_write_max(w, pick_target(w));
	else if (op < 72)
		do_own_mkdir(w);
	else if (op < 75)
		do_own_rmdir(w);
	else if (op < 77)
		do_shared_mkdir(w);
	else if (op < 79)
		do_shared_rmdir(w);
	else if (op < 85)
		do_lookup(w);
	else if (op < 89)
		drop_handle(w);
	else if (op < 90)
		/* a chosen CPU for a while: contention on its stock */
		memcg_set_cpu((int)pick(w, 4));
	else if (op < 91)
		memcg_set_cpu(-1);
	else if (op < 93)
		do_charge(w, memcg_root(w->e), 0);
	else if (op < 94)
		do_put(w);
	else
		step_swap(w);
}

/* rmdir: the remover cycles "victim" and "victim/kid". */
static void step_remover(struct worker *w)
{
	struct mem_cgroup *v;

	if (!w->victim_online) {
		CHECK(memcg_mkdir(w->e, "victim", NULL) == 0);
		w->victim_online = true;
		if (pick(w, 2)) {
			CHECK(memcg_mkdir(w->e, "victim/kid", NULL) == 0);
			w->kid_online = true;
		}
		w->victim_steps = (int)pick(w, 64);
		w->stats[ST_MKDIR]++;
		return;
	}
	if (w->victim_steps-- > 0) {
		switch (pick(w, 8)) {
		case 0:
			if (!memcg_lookup(w->e, "victim", &v)) {
				do_write_max(w, v);
				memcg_put(v);
			}
			break;
		case 1:
			do_read(w, memcg_root(w->e));
			break;
		default:
			spin(w);
			break;
		}
		return;
	}
	if (w->kid_online) {
		CHECK(memcg_rmdir(w->e, "victim/kid") == 0);
		w->kid_online = false;
	}
	CHECK(memcg_rmdir(w->e, "victim") == 0);
	w->victim_online = false;
	w->stats[ST_RMDIR]++;
}

/* rmdir: chargers charge the victim through handles, online or not. */
static void step_victim_charger(struct worker *w)
{
	struct mem_cgroup *m;
	unsigned op = pick(w, 100);
	int ret;

	if (op < 8) {
		ret = memcg_lookup(w->e, pick(w, 3) ? "victim" : "victim/kid", &m);
		CHECK_RET(ret, 0, -ENOENT);
		if (!ret)
			add_handle(w, m);
	} else if (op < 12) {
		/* drop the handle first: the folios hold the cgroup now */
		drop_handle(w);
	} else if (op < 55) {
		if (w->nr_handles)
			do_charge(w, w->handles[pick(w, (unsigned)w->nr_handles)],
				  pick(w, 30) ? 0 : HUGE_ORDER);
	} else if (op < 85) {
		do_put(w);
	} else if (op < 92) {
		do_batch_put(w);
	} else if (op < 95) {
		do_migrate(w, NULL);
	} else if (op < 96) {
		do_move(w);
	} else if (op < 97) {
		if (w->nr_handles)
			do_read(w, w->handles[pick(w, (unsigned)w->nr_handles)]);
	} else {
		/* swap the victim's pages out; swap in once it is gone */
		step_swap(w);
	}
}

static void step_rmdir(struct worker *w)
{
	if (w->special)
		step_remover(w);
	else
		step_victim_charger(w);
}

/* migrate: the migrator hands an extra reference, then migrates. */
static void step_migrator(struct worker *w)
{
	unsigned op = pick(w, 100);

	if (op < 35)
		do_charge(w, w->nr_own ? w->own[0].h : memcg_root(w->e),
			  pick(w, 8) ? 0 : HUGE_ORDER);
	else if (op < 80)
		do_migrate(w, w->q);
	else if (op < 90)
		do_put(w);
	else
		do_batch_put(w);
}

/* migrate: the putter drops the references it was given. */
static void step_putter(struct worker *w)
{
	struct folio *batch[32];
	size_t n = queue_pop(w->q, batch, pick(w, 2) ? 1 : 32);

	if (!n) {
		/* poll for a while: the put should meet the migration */
		if (++w->idle % 64)
			spin(w);
		else
			sched_yield();
		return;
	}
	if (n == 1)
		memcg_folio_put(w->e, batch[0]);
	else
		memcg_folios_put(w->e, batch, n);
	w->stats[ST_RACE_PUT] += (long)n;
}

static void step_migrate(struct worker *w)
{
	if (w->special)
		step_putter(w);
	else
		step_migrator(w);
}

/* drain: the drainer against the chargers below "dp". */
static void step_drainer(struct worker *w)
{
	static const char *const paths[] = { ".", "dp", "dp/shared" };
	struct mem_cgroup *m;
	char buf[BUF_SIZE];

	if (memcg_lookup(w->e, paths[pick(w, 3)], &m))
		return;
	switch (pick(w, 6)) {
	case 0:
	case 1:
		memcg_drain_all_stock(m);
		w->stats[ST_DRAIN]++;
		break;
	case 2:
		if (m != memcg_root(w->e)) {
			/* below usage: v2 drains every stock of the subtree */
			CHECK_RET(memcg_write(m, max_file(w->s),
					      pick(w, 2) ? "1M" : "64K"),
				  0, -EBUSY);
			CHECK_RET(memcg_write(m, max_file(w->s),
					      w->s->v1 ? "-1" : "max"), 0);
			w->stats[ST_WRITE] += 2;
		}
		break;
	case 3:
		CHECK(memcg_read(m, "memory.stat", buf, sizeof(buf)) > 0);
		w->stats[ST_READ]++;
		break;
	case 4:
		if (m != memcg_root(w->e))
			CHECK(memcg_read(m, current_file(w->s), buf,
					 sizeof(buf)) > 0);
		w->stats[ST_READ]++;
		break;
	default:
		if (!w->s->v1)
			CHECK(memcg_read(m, "cgroup.stat", buf, sizeof(buf)) > 0);
		w->stats[ST_READ]++;
		break;
	}
	memcg_put(m);
}

static void step_drain_charger(struct worker *w)
{
	unsigned op = pick(w, 100);

	if (op < 50)
		do_charge(w, pick_target(w), pick(w, 16) ? 0 : HUGE_ORDER);
	else if (op < 85)
		do_put(w);
	else if (op < 95)
		do_batch_put(w);
	else
		do_move(w);
}

static void step_drain(struct worker *w)
{
	if (w->special)
		step_drainer(w);
	else
		step_drain_charger(w);
}

/* --- the driver --- */

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct stress *s = w->s;

	memcg_set_cpu(-1);		/* the real CPU, from rseq */
	while (!atomic_load_explicit(&s->stop, memory_order_relaxed)) {
		if (atomic_load_explicit(&s->pause, memory_order_relaxed)) {
			pthread_barrier_wait(&s->barrier);	/* paused */
			pthread_barrier_wait(&s->barrier);	/* resumed */
			continue;
		}
		s->step(w);
	}
	return NULL;
}

/* The auditor, with every reference the workers hold as handles. */
static void audit(struct stress *s)
{
	struct audit_hold holds[MAX_WORKERS * (MAX_HANDLES + MAX_OWN)];
	size_t n = 0;
	int i, j;

	for (i = 0; i < s->nr_workers; i++) {
		struct worker *w = &s->w[i];

		for (j = 0; j < w->nr_handles; j++)
			holds[n++] = (struct audit_hold){ w->handles[j], 1 };
		for (j = 0; j < w->nr_own; j++)
			holds[n++] = (struct audit_hold){ w->own[j].h, 1 };
	}
	assert_int_equal(memcg_audit(s->e, holds, n), 0);
}

/* One round: run, pause at a barrier and audit, run, join and audit. */
static void run_round(struct stress *s, long ms)
{
	int i;

	atomic_store(&s->stop, false);
	atomic_store(&s->pause, false);
	for (i = 0; i < s->nr_workers; i++)
		assert_int_equal(pthread_create(&s->w[i].tid, NULL, worker_main,
						&s->w[i]), 0);
	sleep_ms(ms / 2);
	atomic_store(&s->pause, true);
	pthread_barrier_wait(&s->barrier);	/* every worker is paused */
	audit(s);
	atomic_store(&s->pause, false);
	pthread_barrier_wait(&s->barrier);
	sleep_ms(ms - ms / 2);
	atomic_store(&s->stop, true);
	for (i = 0; i < s->nr_workers; i++)
		assert_int_equal(pthread_join(s->w[i].tid, NULL), 0);
	audit(s);
}

static struct stress *stress_create(enum memcg_mode mode, unsigned nr_cpus,
				    int nr_workers, void (*step)(struct worker *))
{
	struct stress *s = calloc(1, sizeof(*s));
	uint64_t seed = test_seed("test_stress_threads", 0x9e3779b97f4a7c15ULL);
	struct memcg_config cfg;
	int i;

	assert_non_null(s);
	memcg_config_init(&cfg);
	cfg.mode = mode;
	cfg.memory_bytes = 64 << 20;	/* 16384 frames */
	cfg.dataless = true;
	cfg.nr_cpus = nr_cpus;
	cfg.huge_order = HUGE_ORDER;
	assert_int_equal(memcg_engine_create(&cfg, &s->e), 0);
	/* the machine's CPUs test the rseq locks where there are any */
	if (!nr_cpus && pcpu_rseq_available())
		assert_int_equal(memcg_engine_cpu_locks(s->e),
				 MEMCG_CPU_LOCKS_RSEQ);
	if (nr_cpus == 1)
		assert_int_equal(memcg_engine_cpu_locks(s->e),
				 MEMCG_CPU_LOCKS_ATOMIC);
	assert_int_equal(memcg_swapon(s->e, NULL, SWAP_BYTES), 0);
	pthread_mutex_init(&s->pool_lock, NULL);
	s->v1 = mode == MEMCG_MODE_V1;
	s->nr_workers = nr_workers;
	s->step = step;
	assert_int_equal(pthread_barrier_init(&s->barrier, NULL,
					      (unsigned)nr_workers + 1), 0);
	for (i = 0; i < MAX_WORKERS; i++)
		queue_init(&s->queues[i]);
	for (i = 0; i < nr_workers; i++) {
		struct worker *w = &s->w[i];

		w->s = s;
		w->e = s->e;
		w->id = i;
		w->rng = seed * (uint64_t)(i + 1) + 12345;
	}
	memcg_set_cpu(-1);
	return s;
}

/* Every online cgroup below the root, deepest first. */
struct cg_entry {
	char path[256];
	int depth;
};

static void collect(struct mem_cgroup *m, int depth, struct cg_entry *out,
		    size_t *n, size_t max)
{
	struct mem_cgroup *c;

	cds_list_for_each_entry(c, &m->children, sibling) {
		if (!atomic_load(&c->online))
			continue;
		assert_true(*n < max);
		assert_true(memcg_path(c, out[*n].path, sizeof(out[*n].path)) > 0);
		out[*n].depth = depth + 1;
		(*n)++;
		collect(c, depth + 1, out, n, max);
	}
}

static int by_depth_desc(const void *a, const void *b)
{
	return ((const struct cg_entry *)b)->depth -
	       ((const struct cg_entry *)a)->depth;
}

static void rmdir_all(struct memcg_engine *e)
{
	enum { MAX_CG = 512 };
	struct cg_entry *cg = calloc(MAX_CG, sizeof(*cg));
	size_t i, n = 0;

	assert_non_null(cg);
	pthread_mutex_lock(&e->cgroup_mutex);
	collect(memcg_root(e), 0, cg, &n, MAX_CG);
	pthread_mutex_unlock(&e->cgroup_mutex);
	qsort(cg, n, sizeof(*cg), by_depth_desc);
	for (i = 0; i < n; i++)
		assert_int_equal(memcg_rmdir(e, cg[i].path), 0);
	free(cg);
}

static const enum memcg_stat_item page_stats[] = {
	MEMCG_ANON, MEMCG_FILE, MEMCG_KERNEL, MEMCG_SHMEM, MEMCG_ANON_THP,
	MEMCG_FILE_THP, MEMCG_SHMEM_THP, MEMCG_SWAP,
};

/* Drop everything, remove every cgroup: nothing may be left. */
static void stress_teardown(struct stress *s)
{
	struct memcg_engine *e = s->e;
	struct mem_cgroup *root = memcg_root(e);
	struct folio *batch[32];
	size_t n;
	int i, j;

	for (i = 0; i < MAX_WORKERS; i++)
		while ((n = queue_pop(&s->queues[i], batch, 32)))
			memcg_folios_put(e, batch, n);
	while (s->nr_pool)
		assert_int_equal(memcg_swap_free(e, s->pool[--s->nr_pool]), 0);
	for (i = 0; i < s->nr_workers; i++)
		while (s->w[i].nr_entries)
			do_swap_free(&s->w[i]);
	for (i = 0; i < s->nr_workers; i++) {
		struct worker *w = &s->w[i];

		/* no entry is held any more: each leaves the swap cache */
		while (w->nr_swapped)
			assert_true(drop_swapped(w, w->nr_swapped - 1));
		while (w->nr_folios)
			do_batch_put(w);
		while (w->nr_handles)
			drop_handle(w);
		for (j = 0; j < NR_ST; j++)
			s->total[j] += w->stats[j];
	}
	audit(s);
	rmdir_all(e);
	for (i = 0; i < s->nr_workers; i++) {
		struct worker *w = &s->w[i];

		for (j = 0; j < w->nr_own; j++)
			memcg_put(w->own[j].h);
		w->nr_own = 0;
	}
	memcg_drain_all_stock(root);
	if (e->swap)
		swap_slots_drain_all(e);	/* slots freed, held per CPU */
	assert_int_equal(memcg_audit(e, NULL, 0), 0);

	assert_int_equal(page_counter_read(&root->memory), 0);
	assert_int_equal(page_counter_read(&root->swap), 0);
	for (j = 0; j < (int)(sizeof(page_stats) / sizeof(page_stats[0])); j++)
		assert_int_equal(memcg_page_state(root, page_stats[j]), 0);
	assert_int_equal(memcg_stock_pages(e, root, NULL), 0);
	assert_int_equal(css_ref_read(root), 2);	/* online + id */
	assert_int_equal(atomic_load(&e->nr_memcgs), 1);
	assert_int_equal(folio_arena_nr_free(e->arena),
			 folio_arena_nr_frames(e->arena));
	assert_int_equal(memcg_swap_nr_free(e), SWAP_BYTES / MEMCG_PAGE_SIZE);

	printf("   ");
	for (j = 0; j < NR_ST; j++)
		if (s->total[j])
			printf(" %s %ld", st_names[j], s->total[j]);
	printf("\n");
	memcg_engine_destroy(e);
	pthread_barrier_destroy(&s->barrier);
	for (i = 0; i < MAX_WORKERS; i++)
		pthread_mutex_destroy(&s->queues[i].lock);
	pthread_mutex_destroy(&s->pool_lock);
	free(s);
}

/* --- the tests --- */

struct random_params {
	enum memcg_mode mode;
	unsigned nr_cpus;
	int nr_workers;
};

static void test_random(void **state)
{
	const struct random_params *p = *state;
	struct stress *s = stress_create(p->mode, p->nr_cpus, p->nr_workers,
					 step_random);
	long ms = round_ms();
	int k;

	for (k = 0; k < NR_SHARED; k++) {
		char path[16];

		snprintf(path, sizeof(path), "s%d", k);
		assert_int_equal(memcg_mkdir(s->e, path, NULL), 0);
	}
	run_round(s, ms);
	run_round(s, ms);
	stress_teardown(s);
}

static void test_rmdir_while_charging(void **state)
{
	struct stress *s = stress_create(MEMCG_MODE_V2, 0, 4, step_rmdir);
	long ms = round_ms();

	s->w[0].special = true;
	run_round(s, ms);
	run_round(s, ms);
	stress_teardown(s);
}

static void test_migrate_against_put(void **state)
{
	struct stress *s = stress_create(MEMCG_MODE_V2, 0, 2, step_migrate);
	long ms = round_ms();
	int i;

	/* one pair per CPU of a small machine: they run at the same time */
	for (i = 0; i < 2; i += 2) {
		struct worker *m = &s->w[i], *p = &s->w[i + 1];
		struct own_cg *c = &m->own[0];

		snprintf(c->path, sizeof(c->path), "m%d", i);
		assert_int_equal(memcg_mkdir(s->e, c->path, &c->h), 0);
		c->online = true;
		c->depth = 1;
		m->nr_own = 1;
		m->q = p->q = &s->queues[i];
		p->special = true;
	}
	run_round(s, ms);
	run_round(s, ms);
	stress_teardown(s);
}

static void test_drain_against_charge(void **state)
{
	const unsigned *nr_cpus = *state;
	struct stress *s = stress_create(MEMCG_MODE_V2, *nr_cpus, 4, step_drain);
	long ms = round_ms();
	int i;

	assert_int_equal(memcg_mkdir(s->e, "dp", NULL), 0);
	assert_int_equal(memcg_mkdir(s->e, "dp/shared", NULL), 0);
	s->w[0].special = true;
	for (i = 1; i < 4; i++) {
		struct worker *w = &s->w[i];
		struct own_cg *c = &w->own[0];

		snprintf(c->path, sizeof(c->path), "dp/c%d", i);
		assert_int_equal(memcg_mkdir(s->e, c->path, &c->h), 0);
		c->online = true;
		c->depth = 2;
		w->nr_own = 1;
		assert_int_equal(memcg_lookup(s->e, "dp/shared",
					      &w->handles[0]), 0);
		w->nr_handles = 1;
	}
	run_round(s, ms);
	run_round(s, ms);
	stress_teardown(s);
}

int main(void)
{
	static const struct random_params machine_v2 = { MEMCG_MODE_V2, 0, 6 };
	static const struct random_params one_cpu_v1 = { MEMCG_MODE_V1, 1, 4 };
	static const unsigned machine = 0, one_cpu = 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate(test_random, (void *)&machine_v2),
		cmocka_unit_test_prestate(test_random, (void *)&one_cpu_v1),
		cmocka_unit_test(test_rmdir_while_charging),
		cmocka_unit_test(test_migrate_against_put),
		cmocka_unit_test_prestate(test_drain_against_charge,
					  (void *)&machine),
		cmocka_unit_test_prestate(test_drain_against_charge,
					  (void *)&one_cpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
