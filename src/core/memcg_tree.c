// SPDX-License-Identifier: MIT
/*
 * The cgroup tree and its lifecycle, in the kernel's order:
 *
 *   alloc   -> counters linked to the parent, id reserved, slot taken
 *   online  -> id published, linked into the parent's children and
 *              names (memcg_names.c)
 *   offline -> (rmdir) unlinked from the parent's names, refcount killed,
 *              min/low reset, stocks drained, online id reference dropped
 *   release -> (last reference gone) unlinked, counted as no longer dying
 *   free    -> after an RCU grace period
 *
 * A reference can drop to zero anywhere, even under cgroup_mutex, so the
 * release is queued and run by mem_cgroup_release_pending() at the end of
 * the next tree operation or control-file read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cgroup.h"
#include "core/cgroupfs.h"
#include "core/memcg_path.h"
#include "core/memcontrol.h"
#include "core/memcg_walk.h"
#include "core/rstat.h"
#include "mm/lru_gen.h"
#include "mm/lru_gen_memcg.h"
#include "mm/shrinker.h"

#ifdef __SANITIZE_THREAD__
#include <sanitizer/tsan_interface.h>
/* liburcu is not instrumented: tell TSan that call_rcu hands over @p. */
#define rcu_handoff_release(p) __tsan_release(p)
#define rcu_handoff_acquire(p) __tsan_acquire(p)
/*
 * Nor can TSan see the grace period: RCU readers (the tree walks of
 * memcg_stat.c and vmscan.c, id lookups) that read a cgroup before it was
 * unlinked would be reported against its free. The free runs with this
 * thread's accesses ignored, which makes TSan forget the object instead of
 * recording a write; a use after the grace period is ASan's to catch.
 */
/* in libtsan, not declared by GCC 12's sanitizer/tsan_interface.h */
void __tsan_ignore_thread_begin(void);
void __tsan_ignore_thread_end(void);
#define rcu_free_begin() __tsan_ignore_thread_begin()
#define rcu_free_end() __tsan_ignore_thread_end()
#else
#define rcu_handoff_release(p) ((void)(p))
#define rcu_handoff_acquire(p) ((void)(p))
#define rcu_free_begin() ((void)0)
#define rcu_free_end() ((void)0)
#endif

/*
 * The children lists are read under RCU (memcg_stat.c). liburcu's
 * cds_list_add_tail_rcu() and cds_list_del_rcu() publish with volatile
 * stores behind compiler barriers, which ThreadSanitizer sees as plain
 * writes racing with the readers, and as no ordering for the new cgroup's
 * initialisation: these store the links that readers follow with release
 * stores (plain moves on x86). Writers hold cgroup_mutex.
 */
static void children_add_rcu(struct mem_cgroup *memcg, struct mem_cgroup *parent)
{
	struct cds_list_head *newp = &memcg->sibling, *head = &parent->children;

	newp->next = head;
	newp->prev = head->prev;
	__atomic_store_n(&head->prev->next, newp, __ATOMIC_RELEASE);
	head->prev = newp;
}

static void children_del_rcu(struct mem_cgroup *memcg)
{
	struct cds_list_head *elem = &memcg->sibling;

	elem->next->prev = elem->prev;
	__atomic_store_n(&elem->prev->next, elem->next, __ATOMIC_RELEASE);
}

static int memcg_slot_alloc(struct memcg_engine *e, struct mem_cgroup *memcg)
{
	uint32_t slot = e->slot_free_head;

	if (slot) {
		e->slot_free_head = (uint32_t)(uintptr_t)e->slots[slot];
	} else {
		if (e->slot_next_unused >= e->nr_slots)
			return -ENOSPC;
		slot = e->slot_next_unused++;
	}
	e->slots[slot] = memcg;
	memcg->slot = slot;
	return 0;
}

static void memcg_slot_free(struct memcg_engine *e, struct mem_cgroup *memcg)
{
	e->slots[memcg->slot] = (struct mem_cgroup *)(uintptr_t)e->slot_free_head;
	e->slot_free_head = memcg->slot;
	memcg->slot = 0;
}

/* memcontrol.h's layout promise: 1 KiB per cgroup before its arrays */
_Static_assert(sizeof(struct mem_cgroup) <= 1024,
	       "struct mem_cgroup grew past 1 KiB");

/*
 * A cgroup in two cache-aligned allocations: the struct, its vmstats (the
 * threshold count; the sums only a parent has are apart, rstat.h) and its
 * name (one malloc header, no rounding of the name); and its
 * nr_cpus memcg_pcpu then its nr_cpus memcg_rstat_cpu (one alignment
 * instead of two). The struct's alignment puts the memory counter on a
 * line of its own (memcontrol.h): with the struct at any 16-byte offset,
 * two threads charging one cgroup ran 35-77 ns per folio pair from run to
 * run (bench_scale t), 43-44 aligned. Its objcg (which may outlive it)
 * and v1 state are apart.
 */
struct memcg_block {
	struct mem_cgroup memcg;
	struct memcg_vmstats vmstats;
	char name[];
};

static struct mem_cgroup *memcg_block_alloc(struct memcg_engine *e,
					    const char *name)
{
	size_t nr = e->nr_cpus, len = strlen(name) + 1;
	size_t pcpu = nr * (sizeof(struct memcg_pcpu) +
			    sizeof(struct memcg_rstat_cpu));
	struct memcg_block *b;
	struct mem_cgroup *memcg;

	if (posix_memalign((void **)&b, MEMCG_CACHELINE, sizeof(*b) + len))
		return NULL;
	memset(b, 0, sizeof(*b) + len);
	memcg = &b->memcg;
	memcg->pcpu = aligned_alloc(MEMCG_CACHELINE, pcpu);
	if (!memcg->pcpu) {
		free(b);
		return NULL;
	}
	memset(memcg->pcpu, 0, pcpu);
	memcg->rstat_cpu = (struct memcg_rstat_cpu *)(memcg->pcpu + nr);
	memcg->vmstats = &b->vmstats;
	memcg->name = memcpy(b->name, name, len);
	return memcg;
}

static void memcg_block_free(struct mem_cgroup *memcg)
{
	free(memcg->pcpu);	/* and rstat_cpu */
	free(memcg);		/* its struct memcg_block */
}

static void mem_cgroup_free(struct mem_cgroup *memcg)
{
	lruvec_destroy(&memcg->lruvec);
	memcg_names_free(memcg);
	memcg_rstat_free(memcg);
	memcg_stat_free(memcg);
	free(memcg->v1);
	memcg_block_free(memcg);
}

static void mem_cgroup_free_rcu(struct rcu_head *head)
{
	struct mem_cgroup *memcg = caa_container_of(head, struct mem_cgroup, rcu);

	rcu_handoff_acquire(memcg);
	rcu_free_begin();
	mem_cgroup_free(memcg);
	rcu_free_end();
}

static void mem_cgroup_init_counters(struct mem_cgroup *memcg,
				     struct mem_cgroup *parent)
{
	bool v1 = memcg->engine->v1;
	/* v2: no charge walks to the root (mem_cgroup_root_counted()) */
	struct mem_cgroup *up = parent && (parent->parent ||
			mem_cgroup_root_counted(memcg->engine)) ? parent : NULL;

	page_counter_init_prot(&memcg->memory_prot,
			       up ? &up->memory_prot : NULL, !v1);
	page_counter_init(&memcg->swap, up ? &up->swap : NULL);
	memcg->memory.track_failcnt = v1;
	memcg->swap.track_failcnt = v1;
	page_counter_set_high(&memcg->memory, PAGE_COUNTER_MAX);
	page_counter_set_high(&memcg->swap, PAGE_COUNTER_MAX);
	if (!v1)
		return;
	/* memory.kmem.* and memory.kmem.tcp.* (objcg.c, kmem.c) */
	page_counter_init(&memcg->v1->kmem, parent ? &parent->v1->kmem : NULL);
	page_counter_init(&memcg->v1->tcpmem,
			  parent ? &parent->v1->tcpmem : NULL);
	memcg->v1->tcpmem.track_failcnt = true;
	atomic_init(&memcg->v1->soft_limit, PAGE_COUNTER_MAX);
}

/* css_alloc; call with cgroup_mutex held */
static int mem_cgroup_alloc(struct memcg_engine *e, struct mem_cgroup *parent,
			    const char *name, struct mem_cgroup **out)
{
	struct mem_cgroup *memcg;
	int err = -ENOMEM;

	/* room in the parent's names for mem_cgroup_online(), its arrays */
	if (parent && (memcg_names_reserve(parent) ||
		       memcg_stat_alloc_parent(parent)))
		return -ENOMEM;
	memcg = memcg_block_alloc(e, name);
	if (!memcg)
		return -ENOMEM;
	memcg->engine = e;
	atomic_init(&memcg->stat_shared, memcg_stat_zero);
	atomic_init(&memcg->stat_dead, memcg_stat_zero);
	if (e->v1) {
		memcg->v1 = calloc(1, sizeof(*memcg->v1));
		if (!memcg->v1)
			goto out_free;
	}
	memcg_rstat_setup(memcg, parent);
	err = memcg_slot_alloc(e, memcg);
	if (err)
		goto out_free;
	err = mem_cgroup_id_alloc(e, memcg);
	if (err)
		goto out_slot;
	err = lruvec_init(&memcg->lruvec, lru_gen_enabled(e));
	if (err)
		goto out_id;
	err = memcg_alloc_kmem(memcg);	/* its objcg (objcg.c) */
	if (err)
		goto out_lruvec;

	memcg->parent = parent;
	mem_cgroup_init_counters(memcg, parent);
	css_ref_init(memcg);
	CDS_INIT_LIST_HEAD(&memcg->children);
	memcg->swappiness = parent ? parent->swappiness : 60;
	if (parent)
		css_get(parent);	/* a child points at its parent */
	atomic_fetch_add(&e->nr_memcgs, 1);
	*out = memcg;
	return 0;

out_lruvec:
	lruvec_destroy(&memcg->lruvec);
out_id:
	mem_cgroup_id_release(memcg);
out_slot:
	memcg_slot_free(e, memcg);
out_free:
	memcg_rstat_free(memcg);
	memcg_stat_free(memcg);
	free(memcg->v1);
	memcg_block_free(memcg);
	return err;
}

/* css_online; call with cgroup_mutex held */
static void mem_cgroup_online(struct mem_cgroup *memcg)
{
	struct mem_cgroup *p;

	mem_cgroup_id_publish(memcg);
	atomic_store(&memcg->online, true);
	if (memcg->parent) {
		children_add_rcu(memcg, memcg->parent);
		memcg_names_link(memcg->parent, memcg);
	}
	for (p = memcg->parent; p; p = p->parent)
		p->nr_descendants++;
	lru_gen_online_memcg(memcg);
}

/* css_offline; call with cgroup_mutex held */
static void mem_cgroup_offline(struct mem_cgroup *memcg)
{
	struct mem_cgroup *p;

	atomic_store(&memcg->online, false);
	cgroup_drop_hierarchy_limits(memcg);
	memcg_names_unlink(memcg->parent, memcg);
	/* objcgs to the parent, before the kill: objcg.h, "Locking" */
	memcg_offline_kmem(memcg);
	css_kill(memcg);
	for (p = memcg->parent; p; p = p->parent) {
		p->nr_descendants--;
		p->nr_dying_descendants++;
	}
	/* unset ones need no walk of the ancestors: nothing to propagate */
	if (atomic_load(&memcg->memory_prot.min))
		page_counter_set_min(&memcg->memory_prot, 0);
	if (atomic_load(&memcg->memory_prot.low))
		page_counter_set_low(&memcg->memory_prot, 0);
	drain_all_stock_sync(memcg);
	mem_cgroup_reparent(memcg);
	reparent_shrinker_deferred(memcg);
	lru_gen_offline_memcg(memcg);
	mem_cgroup_id_put_many(memcg, 1);
}

/* css_released; call with cgroup_mutex held */
static void mem_cgroup_released(struct mem_cgroup *memcg)
{
	struct memcg_engine *e = memcg->engine;
	struct mem_cgroup *parent = memcg->parent, *p;

	memcg_free_kmem(memcg);	/* kernel charge left, orig_objcg */
	if (page_counter_read(&memcg->memory) || page_counter_read(&memcg->swap))
		fprintf(stderr, "libmemcg: cgroup %s released with %ld pages "
			"of memory and %ld of swap charged\n", memcg->name,
			page_counter_read(&memcg->memory),
			page_counter_read(&memcg->swap));
	memcg->released = true;
	atomic_fetch_sub(&e->nr_memcgs, 1);
	if (parent) {
		children_del_rcu(memcg);
		invalidate_reclaim_iterators(memcg);
		for (p = parent; p; p = p->parent)
			p->nr_dying_descendants--;
		memcg_stat_fold_dead(memcg);
	}
	lru_gen_release_memcg(memcg);
	memcg_peaks_release(memcg);
	memcg_slot_free(e, memcg);
	rcu_handoff_release(memcg);
	call_rcu(&memcg->rcu, mem_cgroup_free_rcu);
	if (parent)
		css_put(parent);
}

/**
 * mem_cgroup_queue_release - queue a cgroup whose last reference went
 * @memcg: cgroup
 *
 * Safe from any context: a lock-free push.
 */
void mem_cgroup_queue_release(struct mem_cgroup *memcg)
{
	struct memcg_engine *e = memcg->engine;
	struct mem_cgroup *head = atomic_load(&e->release_list);

	do {
		memcg->release_next = head;
	} while (!atomic_compare_exchange_weak(&e->release_list, &head, memcg));
}

static void mem_cgroup_release_locked(struct memcg_engine *e)
{
	struct mem_cgroup *memcg;

	while ((memcg = atomic_exchange(&e->release_list, NULL))) {
		while (memcg) {
			struct mem_cgroup *next = memcg->release_next;

			mem_cgroup_released(memcg);
			memcg = next;
		}
	}
}

/**
 * mem_cgroup_release_pending - release every cgroup whose refs reached 0
 * @e: engine; call without cgroup_mutex held
 */
void mem_cgroup_release_pending(struct memcg_engine *e)
{
	if (!atomic_load_explicit(&e->release_list, memory_order_relaxed))
		return;
	pthread_mutex_lock(&e->cgroup_mutex);
	mem_cgroup_release_locked(e);
	pthread_mutex_unlock(&e->cgroup_mutex);
}

static bool has_online_children(struct mem_cgroup *memcg);

/*
 * cgroup v2's no-internal-process rule: below the root, a cgroup whose
 * children have the memory controller cannot hold tasks, and one with
 * tasks cannot give its children the controller (mkdir here enables it).
 * Call with cgroup_mutex held.
 */
static bool no_internal_process(struct mem_cgroup *memcg, bool adding_child)
{
	if (memcg->engine->v1 || !memcg->parent)
		return false;
	return adding_child ? atomic_load(&memcg->nr_tasks) > 0 :
			      has_online_children(memcg);
}

struct mem_cgroup *mem_cgroup_alloc_root(struct memcg_engine *e)
{
	struct mem_cgroup *root;

	if (mem_cgroup_alloc(e, NULL, ".", &root))
		return NULL;
	mem_cgroup_online(root);
	return root;
}

/*
 * mkdir's checks on the last component, in the kernel's order: the path
 * walk's (an existing name, ".", ".." or none: -EEXIST; above the root:
 * -EPERM; in a removed directory: -ENOENT), then cgroup_mkdir()'s (a newline: -EINVAL; cgroup.max.depth or
 * cgroup.max.descendants reached: -EAGAIN).
 */
static int mkdir_check(const struct nameidata *nd)
{
	if (nd->type != LAST_NORM)
		return -EEXIST;
	if (!nd->dir)
		return -EPERM;
	if (!atomic_load(&nd->dir->online))
		return -ENOENT;		/* no entry is made in a removed directory */
	if (memcg_names_find(nd->dir, nd->last, nd->len) ||
	    cgroup_file_exists(nd->dir, nd->last, nd->len))
		return -EEXIST;
	if (memchr(nd->last, '\n', nd->len))
		return -EINVAL;
	if (!cgroup_check_hierarchy_limits(nd->dir))
		return -EAGAIN;
	if (no_internal_process(nd->dir, true))
		return -EBUSY;
	return 0;
}

/* mkdir of @path from @start (NULL: the root) */
static int mkdir_at(struct memcg_engine *e, struct mem_cgroup *start,
		    const char *path, struct mem_cgroup **out)
{
	struct mem_cgroup *memcg = NULL;
	struct nameidata nd;
	char *name = NULL;
	int err;

	pthread_mutex_lock(&e->cgroup_mutex);
	err = path_parentat(e, start, path, &nd);
	if (err)
		goto out_unlock;
	err = mkdir_check(&nd);
	if (err)
		goto out_unlock;
	name = strndup(nd.last, nd.len);
	err = name ? mem_cgroup_alloc(e, nd.dir, name, &memcg) : -ENOMEM;
	if (err)
		goto out_unlock;
	mem_cgroup_online(memcg);
	if (out) {
		css_get(memcg);
		*out = memcg;
	}
out_unlock:
	pthread_mutex_unlock(&e->cgroup_mutex);
	free(name);
	return err;
}

int memcg_mkdir(struct memcg_engine *e, const char *path,
		struct mem_cgroup **out)
{
	if (!e || !path)
		return -EINVAL;
	return mkdir_at(e, NULL, path, out);
}

int memcg_mkdirat(struct mem_cgroup *dir, const char *path,
		  struct mem_cgroup **out)
{
	if (!dir || !path)
		return -EINVAL;
	return mkdir_at(dir->engine, dir, path, out);
}

/* call with cgroup_mutex held: child_names holds the online children */
static bool has_online_children(struct mem_cgroup *memcg)
{
	return memcg->child_names.nr != 0;
}

/*
 * rmdir's target, in the kernel's order: the last component's type (none:
 * the mount point, -EBUSY; ".": -EINVAL; "..": -ENOTEMPTY), then the
 * lookup (-ENOENT, -ENOTDIR for a control file).
 */
static int rmdir_target(const struct nameidata *nd, struct mem_cgroup **out)
{
	switch (nd->type) {
	case LAST_ROOT:
		return -EBUSY;
	case LAST_DOT:
		return -EINVAL;
	case LAST_DOTDOT:
		return -ENOTEMPTY;
	default:
		break;
	}
	return lookup_one(nd->dir, nd->last, nd->len, out);
}

/* rmdir of @path from @start (NULL: the root) */
static int rmdir_at(struct memcg_engine *e, struct mem_cgroup *start,
		    const char *path)
{
	struct mem_cgroup *memcg;
	struct nameidata nd;
	int err;

	pthread_mutex_lock(&e->cgroup_mutex);
	err = path_parentat(e, start, path, &nd);
	if (!err)
		err = rmdir_target(&nd, &memcg);
	if (err)
		goto out_unlock;
	if (has_online_children(memcg) || atomic_load(&memcg->nr_tasks))
		err = -EBUSY;
	else
		mem_cgroup_offline(memcg);
out_unlock:
	mem_cgroup_release_locked(e);
	pthread_mutex_unlock(&e->cgroup_mutex);
	return err;
}

int memcg_rmdir(struct memcg_engine *e, const char *path)
{
	if (!e || !path)
		return -EINVAL;
	return rmdir_at(e, NULL, path);
}

int memcg_rmdirat(struct mem_cgroup *dir, const char *path)
{
	if (!dir || !path)
		return -EINVAL;
	return rmdir_at(dir->engine, dir, path);
}

/* lookup of @path from @start (NULL: the root); online cgroups only */
static int lookup_at(struct memcg_engine *e, struct mem_cgroup *start,
		     const char *path, struct mem_cgroup **out)
{
	struct mem_cgroup *memcg;
	int err;

	pthread_mutex_lock(&e->cgroup_mutex);
	err = path_lookup(e, start, path, &memcg);
	if (!err && !atomic_load(&memcg->online))
		err = -ENOENT;		/* "." of a removed directory */
	if (!err)
		css_get(memcg);
	pthread_mutex_unlock(&e->cgroup_mutex);
	*out = err ? NULL : memcg;
	return err;
}

int memcg_lookup(struct memcg_engine *e, const char *path,
		 struct mem_cgroup **out)
{
	if (!e || !path || !out)
		return -EINVAL;
	return lookup_at(e, NULL, path, out);
}

int memcg_lookupat(struct mem_cgroup *dir, const char *path,
		   struct mem_cgroup **out)
{
	if (!dir || !path || !out)
		return -EINVAL;
	return lookup_at(dir->engine, dir, path, out);
}

struct mem_cgroup *memcg_root(struct memcg_engine *e)
{
	return e->root;
}

void memcg_get(struct mem_cgroup *memcg)
{
	if (memcg)
		css_get(memcg);
}

void memcg_put(struct mem_cgroup *memcg)
{
	struct memcg_engine *e;

	if (!memcg)
		return;
	e = memcg->engine;
	css_put(memcg);
	mem_cgroup_release_pending(e);
}

bool memcg_tryget_online(struct mem_cgroup *memcg)
{
	return css_tryget_online(memcg);
}

bool memcg_is_online(struct mem_cgroup *memcg)
{
	return atomic_load(&memcg->online);
}

int memcg_path(struct mem_cgroup *memcg, char *buf, size_t len)
{
	struct mem_cgroup *m;
	size_t need = 0, pos, n;

	if (!len)
		return -ENAMETOOLONG;
	if (!memcg->parent) {
		if (len < 2)
			return -ENAMETOOLONG;
		strcpy(buf, ".");
		return 1;
	}
	/* measure, then fill from the end: no recursion, any depth */
	for (m = memcg; m->parent; m = m->parent)
		need += strlen(m->name) + 1;
	if (need > len)
		return -ENAMETOOLONG;
	pos = need - 1;
	buf[pos] = '\0';
	for (m = memcg; m->parent; m = m->parent) {
		n = strlen(m->name);
		pos -= n;
		memcpy(buf + pos, m->name, n);
		if (pos)
			buf[--pos] = '/';
	}
	return (int)(need - 1);
}

/*
 * @memcg's path in @buf of @len (>= 8) bytes; one too long for it keeps its
 * last components after ".../", so that a deep cgroup is still listed.
 */
static void path_or_tail(struct mem_cgroup *memcg, char *buf, size_t len)
{
	struct mem_cgroup *m;
	size_t pos = len - 1, n;

	if (memcg_path(memcg, buf, len) >= 0)
		return;
	buf[pos] = '\0';
	for (m = memcg; m->parent; m = m->parent) {
		n = strlen(m->name);
		if (n + 1 + 4 > pos)
			break;
		pos -= n;
		memcpy(buf + pos, m->name, n);
		buf[--pos] = '/';
	}
	pos -= 3;
	memcpy(buf + pos, "...", 3);
	memmove(buf, buf + pos, len - pos);
}

/* A dying cgroup's counters, as its memory.current and swap.current read. */
static void dying_usage(struct mem_cgroup *memcg, struct memcg_dying *d)
{
	long memory = page_counter_read(&memcg->memory);
	long swap = page_counter_read(&memcg->swap);

	if (do_memsw_account(memcg))
		swap = swap > memory ? swap - memory : 0;	/* memsw */
	d->memory = (uint64_t)memory * MEMCG_PAGE_SIZE;
	d->swap = (uint64_t)swap * MEMCG_PAGE_SIZE;
}

int memcg_for_each_dying(struct memcg_engine *e,
			 void (*fn)(const struct memcg_dying *d, void *arg),
			 void *arg)
{
	struct mem_cgroup *pos;
	char *path;
	int n = 0;

	if (!e || !fn)
		return -EINVAL;
	path = malloc(MEMCG_PATH_MAX);
	if (!path)
		return -ENOMEM;
	pthread_mutex_lock(&e->cgroup_mutex);
	mem_cgroup_release_locked(e);	/* the queued ones are not dying */
	memcg_for_each_descendant_pre(pos, e->root) {
		struct memcg_dying d = { .path = path };

		if (atomic_load(&pos->online) || pos->released)
			continue;
		path_or_tail(pos, path, MEMCG_PATH_MAX);
		dying_usage(pos, &d);
		fn(&d, arg);
		n++;
	}
	pthread_mutex_unlock(&e->cgroup_mutex);
	free(path);
	return n;
}

/*
 * A task in @memcg counts in every ancestor's subtree count, so that PSI
 * reads the subtree's tasks in O(1) (mem_cgroup_nr_tasks()), not in a
 * walk per level: a stall at depth d would cost O(d^2). Ancestors outlive
 * @memcg, which the task holds.
 */
static void nr_tasks_subtree_add(struct mem_cgroup *memcg, long delta)
{
	for (; memcg; memcg = memcg->parent)
		atomic_fetch_add(&memcg->nr_tasks_subtree, delta);
}

int memcg_attach_task(struct mem_cgroup *memcg)
{
	struct memcg_engine *e = memcg->engine;
	int err = 0;

	pthread_mutex_lock(&e->cgroup_mutex);
	if (!atomic_load(&memcg->online))
		err = -ENOENT;
	else if (no_internal_process(memcg, false))
		err = -EBUSY;
	else
		atomic_fetch_add(&memcg->nr_tasks, 1);
	pthread_mutex_unlock(&e->cgroup_mutex);
	if (!err)
		nr_tasks_subtree_add(memcg, 1);
	return err;
}

void memcg_detach_task(struct mem_cgroup *memcg)
{
	atomic_fetch_sub(&memcg->nr_tasks, 1);
	nr_tasks_subtree_add(memcg, -1);
}

/* Children before parents; the root stays online. */
static void offline_subtree(struct mem_cgroup *root)
{
	struct mem_cgroup *memcg = NULL;

	while ((memcg = memcg_next_descendant_post(memcg, root)))
		if (memcg->parent && atomic_load(&memcg->online))
			mem_cgroup_offline(memcg);
}

/**
 * mem_cgroup_destroy_tree - take every cgroup offline, the root last
 * @e: engine being destroyed
 */
void mem_cgroup_destroy_tree(struct memcg_engine *e)
{
	struct mem_cgroup *root = e->root;

	pthread_mutex_lock(&e->cgroup_mutex);
	offline_subtree(root);
	drain_all_stock_sync(root);
	atomic_store(&root->online, false);
	memcg_offline_kmem(root);
	css_kill(root);
	mem_cgroup_id_put_many(root, 1);
	mem_cgroup_release_locked(e);
	pthread_mutex_unlock(&e->cgroup_mutex);
}
