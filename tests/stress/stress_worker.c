// SPDX-License-Identifier: MIT
/*
 * What a worker of the multi-threaded stress test does (the phases are
 * described in test_stress_threads.c): random operations on folios, swap
 * entries, handles and cgroups, and each phase's step. Worker threads
 * cannot use cmocka's assertions: CHECK() prints and aborts instead.
 */
#include "stress_threads.h"

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


static const char *max_file(struct stress *s)
{
	return s->v1 ? "memory.limit_in_bytes" : "memory.max";
}

static const char *current_file(struct stress *s)
{
	return s->v1 ? "memory.usage_in_bytes" : "memory.current";
}

void queue_init(struct folio_queue *q)
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

size_t queue_pop(struct folio_queue *q, struct folio **out, size_t max)
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

void do_batch_put(struct worker *w)
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
bool drop_swapped(struct worker *w, int i)
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

void do_swap_free(struct worker *w)
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

void drop_handle(struct worker *w)
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

void step_random(struct worker *w)
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

void step_rmdir(struct worker *w)
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

void step_migrate(struct worker *w)
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

void step_drain(struct worker *w)
{
	if (w->special)
		step_drainer(w);
	else
		step_drain_charger(w);
}

