// SPDX-License-Identifier: MIT
/* The memcg LRU of the multi-generational LRU: see lru_gen_memcg.h. */
#include <errno.h>
#include <stdlib.h>

#include "mm/lru_gen.h"
#include "mm/lru_gen_memcg.h"
#include "mm/vmscan.h"

int lru_gen_memcg_create(struct memcg_engine *e)
{
	struct lru_gen_memcg *ml;
	int gen, bin;

	if (!lru_gen_enabled(e))
		return 0;
	ml = calloc(1, sizeof(*ml));
	if (!ml)
		return -ENOMEM;
	pthread_mutex_init(&ml->lock, NULL);
	for (gen = 0; gen < MEMCG_NR_GENS; gen++) {
		for (bin = 0; bin < MEMCG_NR_BINS; bin++) {
			struct memcg_lru_node *head = &ml->fifo[gen][bin];

			head->prev = head->next = head;
		}
	}
	ml->rand = 0x6d676c7275ULL;	/* any fixed seed: deterministic runs */
	e->memcg_lru = ml;
	return 0;
}

void lru_gen_memcg_destroy(struct memcg_engine *e)
{
	if (!e->memcg_lru)
		return;
	pthread_mutex_destroy(&e->memcg_lru->lock);
	free(e->memcg_lru);
	e->memcg_lru = NULL;
}

/* get_random_u32_below(MEMCG_NR_BINS), from splitmix64; under the lock. */
static int random_bin(struct lru_gen_memcg *ml)
{
	uint64_t z;

	if (ml->nr_script > 0) {
		ml->nr_script--;
		return *ml->script++ % MEMCG_NR_BINS;
	}
	z = (ml->rand += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (int)((z ^ (z >> 31)) % MEMCG_NR_BINS);
}

static bool node_is_head(const struct lru_gen_memcg *ml,
			 const struct memcg_lru_node *node)
{
	const struct memcg_lru_node *first = &ml->fifo[0][0];

	return node >= first && node < first + MEMCG_NR_GENS * MEMCG_NR_BINS;
}

/* The generation whose bin @head ends (the kernel's nulls value). */
static int head_gen(const struct lru_gen_memcg *ml,
		    const struct memcg_lru_node *head)
{
	return (int)((head - &ml->fifo[0][0]) / MEMCG_NR_BINS);
}

static struct lru_gen_folio *node_lrugen(struct memcg_lru_node *node)
{
	return (struct lru_gen_folio *)((char *)node -
					offsetof(struct lru_gen_folio, list));
}

static void node_del(struct memcg_lru_node *node)
{
	node->prev->next = node->next;
	node->next->prev = node->prev;
	/* next stays: a walk standing on @node goes on from it */
}

static void node_add_head(struct memcg_lru_node *node,
			  struct memcg_lru_node *head)
{
	node->prev = head;
	node->next = head->next;
	head->next->prev = node;
	head->next = node;
}

static void node_add_tail(struct memcg_lru_node *node,
			  struct memcg_lru_node *head)
{
	node->next = head;
	node->prev = head->prev;
	head->prev->next = node;
	head->prev = node;
}

/* The old generation emptied: the young one becomes the old. */
static void memcg_gen_dec(struct lru_gen_memcg *ml, int gen)
{
	ml->nr_memcgs[gen]--;
	if (!ml->nr_memcgs[gen] && gen == get_memcg_gen(ml->seq))
		ml->seq++;
}

static void rotate_locked(struct lru_gen_memcg *ml,
			  struct lru_gen_folio *lrugen, int op)
{
	int bin = random_bin(ml), seg = 0, old = lrugen->gen, new = old;

	if (op == MEMCG_LRU_HEAD || op == MEMCG_LRU_TAIL)
		seg = op;
	else if (op == MEMCG_LRU_OLD)
		new = get_memcg_gen(ml->seq);
	else
		new = get_memcg_gen(ml->seq + 1);
	atomic_store_explicit(&lrugen->seg, seg, memory_order_relaxed);
	lrugen->gen = new;
	node_del(&lrugen->list);
	if (op == MEMCG_LRU_HEAD || op == MEMCG_LRU_OLD)
		node_add_head(&lrugen->list, &ml->fifo[new][bin]);
	else
		node_add_tail(&lrugen->list, &ml->fifo[new][bin]);
	ml->nr_memcgs[new]++;
	memcg_gen_dec(ml, old);
}

void lru_gen_rotate_memcg(struct mem_cgroup *memcg, int op)
{
	struct lru_gen_memcg *ml = memcg->engine->memcg_lru;
	struct lru_gen_folio *lrugen = memcg->lruvec.lrugen;

	pthread_mutex_lock(&ml->lock);
	if (lrugen->list.next)
		rotate_locked(ml, lrugen, op);
	pthread_mutex_unlock(&ml->lock);
}

void lru_gen_online_memcg(struct mem_cgroup *memcg)
{
	struct lru_gen_memcg *ml = memcg->engine->memcg_lru;
	struct lru_gen_folio *lrugen = memcg->lruvec.lrugen;
	int gen;

	if (!ml)
		return;
	pthread_mutex_lock(&ml->lock);
	gen = get_memcg_gen(ml->seq);
	lrugen->memcg = memcg;
	lrugen->gen = gen;
	node_add_tail(&lrugen->list, &ml->fifo[gen][random_bin(ml)]);
	ml->nr_memcgs[gen]++;
	pthread_mutex_unlock(&ml->lock);
}

void lru_gen_offline_memcg(struct mem_cgroup *memcg)
{
	if (memcg->engine->memcg_lru)
		lru_gen_rotate_memcg(memcg, MEMCG_LRU_OLD);
}

static void release_locked(struct lru_gen_memcg *ml,
			   struct lru_gen_folio *lrugen)
{
	if (!lrugen->list.next)
		return;
	node_del(&lrugen->list);
	lrugen->list.next = lrugen->list.prev = NULL;
	memcg_gen_dec(ml, lrugen->gen);
}

void lru_gen_release_memcg(struct mem_cgroup *memcg)
{
	struct lru_gen_memcg *ml = memcg->engine->memcg_lru;

	if (!ml)
		return;
	pthread_mutex_lock(&ml->lock);
	release_locked(ml, memcg->lruvec.lrugen);
	pthread_mutex_unlock(&ml->lock);
}

void lru_gen_soft_reclaim(struct mem_cgroup *memcg)
{
	if (lru_gen_memcg_seg(memcg) != MEMCG_LRU_HEAD)
		lru_gen_rotate_memcg(memcg, MEMCG_LRU_HEAD);
}

int lru_gen_memcg_seg(struct mem_cgroup *memcg)
{
	return atomic_load_explicit(&memcg->lruvec.lrugen->seg,
				    memory_order_relaxed);
}

/* should_abort_scan() outside kswapd: the goal is met (order 0). */
static bool should_abort_scan(const struct scan_control *sc)
{
	return sc->nr_reclaimed >= (sc->nr_to_reclaim > 2 ? sc->nr_to_reclaim : 2);
}

/*
 * One bin of generation @gen, from its head: reclaim from each cgroup
 * still in @gen, rotating it only once the walk stands on the next one.
 *
 * Return: the list head the walk ended at, or NULL if it stopped at the
 * goal.
 */
static struct memcg_lru_node *
shrink_bin(struct memcg_engine *e, struct scan_control *sc, int gen, int bin,
	   int (*shrink_one)(struct mem_cgroup *, struct scan_control *))
{
	struct lru_gen_memcg *ml = e->memcg_lru;
	struct lru_gen_folio *prev = NULL;
	struct mem_cgroup *memcg = NULL;
	struct memcg_lru_node *pos;
	int op = 0;

	pthread_mutex_lock(&ml->lock);
	pos = ml->fifo[gen][bin].next;
	while (!node_is_head(ml, pos)) {
		struct lru_gen_folio *lrugen = node_lrugen(pos);
		struct memcg_lru_node *next = pos->next;

		if (op)
			rotate_locked(ml, prev, op);
		op = 0;
		/* a put never releases here: the release is queued */
		if (memcg)
			css_put(memcg);
		memcg = NULL;
		if (lrugen->gen != gen) {
			pos = next;
			continue;
		}
		if (!css_tryget(lrugen->memcg)) {
			/* on its way to release: no walk's place any more */
			release_locked(ml, lrugen);
			pos = next;
			continue;
		}
		memcg = lrugen->memcg;
		prev = lrugen;
		pthread_mutex_unlock(&ml->lock);
		op = shrink_one(memcg, sc);
		pthread_mutex_lock(&ml->lock);
		if (should_abort_scan(sc)) {
			pos = NULL;
			break;
		}
		/* where it is now: another walker may have rotated it */
		pos = pos->next;
	}
	if (op)
		rotate_locked(ml, prev, op);
	pthread_mutex_unlock(&ml->lock);
	if (memcg)
		css_put(memcg);
	return pos;
}

void shrink_many(struct memcg_engine *e, struct scan_control *sc,
		 int (*shrink_one)(struct mem_cgroup *, struct scan_control *))
{
	struct lru_gen_memcg *ml = e->memcg_lru;
	struct memcg_lru_node *end;
	int gen, bin, first_bin;

	pthread_mutex_lock(&ml->lock);
	gen = get_memcg_gen(ml->seq);
	bin = first_bin = random_bin(ml);
	pthread_mutex_unlock(&ml->lock);
	do {
		end = shrink_bin(e, sc, gen, bin, shrink_one);
		if (!end)
			return;
		/* a rotation by another walker led here: this bin again */
		if (head_gen(ml, end) != gen)
			continue;
		bin = get_memcg_bin(bin + 1);
	} while (bin != first_bin);
}
