// SPDX-License-Identifier: MIT
/*
 * Tasks: the public task API (memcg/sim.h). Each task is an OOM victim
 * (memcg/hooks.h) while it has an address space, and each call runs as
 * the task (current_task, and the engine's current victim), so that the
 * charge path can throttle it and the OOM killer can tell when it killed
 * the caller.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mm/swapfile.h"
#include "sim/sim.h"

__thread struct memcg_task *current_task;

/* oom_badness's sum for a task: rss, swap entries and page-table pages */
static long task_badness_pages(void *priv)
{
	struct memcg_task *t = priv;
	struct memcg_sim *sim = sim_of(t->e);
	long n;

	/* reclaim on other threads unmaps under the lock */
	pthread_mutex_lock(&sim->lock);
	n = t->mm->rss + t->mm->swapents +
	    (long)(t->mm->nr_pte * sizeof(uint32_t) / MEMCG_PAGE_SIZE);
	pthread_mutex_unlock(&sim->lock);
	return n;
}

/*
 * Killed by the OOM killer: a task running elsewhere is reaped now; the
 * task this thread runs exits when its operation returns (task_leave).
 */
static void task_oom_kill(void *priv)
{
	struct memcg_task *t = priv;

	t->killed = true;
	t->oom_victim = true;
	if (t != current_task)
		task_free_memory(t);
}

static const struct memcg_victim_ops task_victim_ops = {
	.badness_pages = task_badness_pages,
	.kill = task_oom_kill,
};

/*
 * Index @t by its name, under sim->lock: sim->task_names maps each name
 * to a slot of sim->named, which holds the newest task of that name (the
 * key is the first one's name: tasks live until the simulator does).
 */
static int task_index_add(struct memcg_sim *sim, struct memcg_task *t)
{
	int i = strtab_get(&sim->task_names, t->name);

	if (i >= 0) {
		sim->named[i] = t;
		return 0;
	}
	if (sim->nr_named == sim->cap_named) {
		size_t cap = sim->cap_named ? 2 * sim->cap_named : 64;
		struct memcg_task **named;

		if (cap > INT_MAX)
			return -ENOMEM;
		named = realloc(sim->named, cap * sizeof(*named));
		if (!named)
			return -ENOMEM;
		sim->named = named;
		sim->cap_named = cap;
	}
	if (strtab_put(&sim->task_names, t->name, (int)sim->nr_named))
		return -ENOMEM;
	sim->named[sim->nr_named++] = t;
	return 0;
}

int memcg_task_create(struct memcg_engine *e, const char *name,
		      struct mem_cgroup *memcg, struct memcg_task **out)
{
	struct memcg_sim *sim;
	struct memcg_task *t;
	int err;

	if (!e || !name || !*name || !memcg || !out || memcg->engine != e)
		return -EINVAL;
	sim = memcg_sim_get(e);
	if (!sim)
		return -ENOMEM;
	t = memcg_task_find(e, name);
	if (t && t->mm)
		return -EEXIST;
	t = calloc(1, sizeof(*t));
	if (!t || !(t->name = strdup(name)) || !(t->mm = mm_alloc(sim))) {
		if (t)
			free(t->name);
		free(t);
		return -ENOMEM;
	}
	err = memcg_attach_task(memcg);
	if (err)
		goto free;
	err = memcg_victim_register(memcg, &task_victim_ops, t, &t->victim);
	if (err)
		goto detach;
	css_get(memcg);
	t->e = e;
	t->memcg = memcg;
	pthread_mutex_lock(&sim->lock);
	err = task_index_add(sim, t);
	if (!err) {
		*sim->tasks_tail = t;
		sim->tasks_tail = &t->next;
	}
	pthread_mutex_unlock(&sim->lock);
	if (err)
		goto unregister;
	*out = t;
	return 0;
unregister:
	memcg_victim_unregister(t->victim);
	css_put(memcg);
detach:
	memcg_detach_task(memcg);
free:
	mm_free(e, sim, t->mm);
	free(t->name);
	free(t);
	return err;
}

struct memcg_task *memcg_task_find(struct memcg_engine *e, const char *name)
{
	struct memcg_sim *sim = sim_of(e);
	struct memcg_task *found = NULL;
	int i;

	if (!sim || !name)
		return NULL;
	pthread_mutex_lock(&sim->lock);
	i = strtab_get(&sim->task_names, name);
	if (i >= 0)
		found = sim->named[i];
	pthread_mutex_unlock(&sim->lock);
	return found;
}

void sim_tasks_free(struct memcg_sim *sim)
{
	struct memcg_task *t, *next;

	for (t = sim->tasks; t; t = next) {
		next = t->next;
		if (t->mm)
			task_free_memory(t);
		free(t->name);
		free(t);
	}
	sim->tasks = NULL;
	sim->tasks_tail = &sim->tasks;
	strtab_free(&sim->task_names);
	free(sim->named);
	sim->named = NULL;
	sim->nr_named = sim->cap_named = 0;
}

/**
 * task_free_memory - exit: unmap everything and leave the cgroup
 * @t: a task with an address space
 */
void task_free_memory(struct memcg_task *t)
{
	struct memcg_engine *e = t->e;
	struct mem_cgroup *memcg = t->memcg;
	struct mm_struct *mm;

	memcg_victim_unregister(t->victim);	/* before its mm goes */
	t->victim = NULL;
	mm_unmap(t, t->mm->nr_pte);
	/* MGLRU's walk finds a task's mm under the lock: gone before freed */
	pthread_mutex_lock(&sim_of(e)->lock);
	mm = t->mm;
	t->mm = NULL;
	pthread_mutex_unlock(&sim_of(e)->lock);
	mm_free(e, sim_of(e), mm);
	t->oom_victim = false;
	memcg_detach_task(memcg);
	/* the handle keeps the name and state; the cgroup is let go */
	t->memcg = NULL;
	css_put(memcg);
	mem_cgroup_release_pending(e);
}

/* Run an operation as @t; a task the OOM killer picked exits after. */
static int task_enter(struct memcg_task *t)
{
	if (!t || !t->mm)
		return -ESRCH;
	current_task = t;
	atomic_store(&t->mm->lru_gen_ran, true);	/* scheduled: MGLRU aging walks it */
	memcg_victim_enter(t->victim);
	return 0;
}

static int task_leave(struct memcg_task *t, int ret)
{
	memcg_victim_leave();
	current_task = NULL;
	if (t->oom_victim) {
		task_free_memory(t);
		return -ENOMEM;
	}
	if (t->sigbus) {	/* do_swap_page()'s VM_FAULT_SIGBUS: it exits */
		task_free_memory(t);
		return -EIO;
	}
	mem_cgroup_release_pending(t->e);
	return ret;
}

static size_t pages_of(size_t bytes)
{
	return (bytes + MEMCG_PAGE_SIZE - 1) / MEMCG_PAGE_SIZE;
}

/* Sizes whose page count would wrap are refused, never rounded to 0. */
static int task_enter_bytes(struct memcg_task *t, size_t bytes)
{
	if (t && bytes > SIZE_MAX - (MEMCG_PAGE_SIZE - 1))
		return -EINVAL;
	return task_enter(t);
}

int memcg_task_anon(struct memcg_task *t, size_t bytes)
{
	int ret = task_enter_bytes(t, bytes);

	return ret ? ret : task_leave(t, mm_fault_anon(t, pages_of(bytes), false));
}

int memcg_task_mlock(struct memcg_task *t, size_t bytes)
{
	int ret = task_enter_bytes(t, bytes);

	return ret ? ret : task_leave(t, mm_fault_anon(t, pages_of(bytes), true));
}

int memcg_task_touch(struct memcg_task *t, size_t bytes)
{
	int ret = task_enter_bytes(t, bytes);

	return ret ? ret : task_leave(t, mm_touch(t, pages_of(bytes)));
}

int memcg_task_unmap(struct memcg_task *t, size_t bytes)
{
	int ret = task_enter_bytes(t, bytes);

	return ret ? ret : task_leave(t, mm_unmap(t, pages_of(bytes)));
}

/*
 * Pages [*@first, *@end) of the bytes [@offset, @offset + @bytes) of a
 * file. Return: 0, -EINVAL for a range that wraps, -EFBIG for one past
 * the largest file.
 */
static int file_range(uint64_t offset, size_t bytes, size_t *first,
		      size_t *end)
{
	if (offset > UINT64_MAX - bytes ||
	    offset + bytes > UINT64_MAX - (MEMCG_PAGE_SIZE - 1))
		return -EINVAL;
	if ((offset + bytes + MEMCG_PAGE_SIZE - 1) / MEMCG_PAGE_SIZE >
	    FILE_MAX_PAGES)
		return -EFBIG;
	*first = (size_t)(offset / MEMCG_PAGE_SIZE);
	*end = (size_t)((offset + bytes + MEMCG_PAGE_SIZE - 1) /
			MEMCG_PAGE_SIZE);
	return 0;
}

/* A read or write of a file range, the task entered around it. */
static int task_file_io(struct memcg_task *t, const char *file,
			uint64_t offset, size_t bytes, bool write)
{
	size_t first, end;
	int ret = task_enter(t);

	if (ret)
		return ret;
	if (!file || !*file)
		return task_leave(t, -EINVAL);
	ret = file_range(offset, bytes, &first, &end);
	if (ret)
		return task_leave(t, ret);
	return task_leave(t, write ? filemap_write(t, file, first, end) :
				     filemap_read(t, file, first, end));
}

int memcg_task_read(struct memcg_task *t, const char *file, size_t bytes)
{
	return task_file_io(t, file, 0, bytes, false);
}

int memcg_task_read_at(struct memcg_task *t, const char *file,
		       uint64_t offset, size_t bytes)
{
	return task_file_io(t, file, offset, bytes, false);
}

int memcg_task_write(struct memcg_task *t, const char *file, size_t bytes)
{
	return task_file_io(t, file, 0, bytes, true);
}

int memcg_task_write_at(struct memcg_task *t, const char *file,
			uint64_t offset, size_t bytes)
{
	return task_file_io(t, file, offset, bytes, true);
}

int memcg_task_truncate(struct memcg_task *t, const char *file,
			uint64_t size)
{
	size_t first, end;
	int ret = task_enter(t);

	if (ret)
		return ret;
	if (!file || !*file)
		return task_leave(t, -EINVAL);
	ret = file_range(size, 0, &first, &end);
	if (ret)
		return task_leave(t, ret);
	return task_leave(t, filemap_truncate(t, file, end));
}

int memcg_task_exit(struct memcg_task *t)
{
	if (!t || !t->mm)
		return -ESRCH;
	task_free_memory(t);
	return 0;
}

/*
 * v1 with memory.move_charge_at_immigrate: the task's anonymous pages and
 * swap entries charged to its old cgroup follow it (mem_cgroup_move_charge).
 */
static void move_charge(struct memcg_task *t, struct mem_cgroup *from,
			struct mem_cgroup *to)
{
	struct memcg_engine *e = t->e;
	struct mm_struct *mm = t->mm;
	size_t i;

	for (i = 0; i < mm->nr_pte; i++) {
		uint32_t pte;
		struct folio *folio = NULL;

		pthread_mutex_lock(&sim_of(e)->lock);
		pte = mm->pte[i];
		if (pte_present(pte)) {
			/* a huge folio moves whole, at its first entry */
			folio = frame_folio(e, pte_pfn(pte));
			folio_get(folio);
		}
		pthread_mutex_unlock(&sim_of(e)->lock);
		if (folio) {
			if (folio_memcg(e, folio) == from)
				memcg_move_account(e, folio, to);
			memcg_folio_put(e, folio);
		} else if (pte & PTE_SWAP) {
			size_t off = (pte & ~PTE_SWAP) - 1;

			mem_cgroup_move_swap_account(e, off, from, to);
			/* and its page, if still in the swap cache */
			folio = swap_cache_find(e, off);
			if (folio && folio_memcg(e, folio) == from)
				memcg_move_account(e, folio, to);
			if (folio)
				memcg_folio_put(e, folio);
		}
	}
}

int memcg_task_move(struct memcg_task *t, struct mem_cgroup *to)
{
	struct mem_cgroup *from;
	int err;

	if (!t || !t->mm)
		return -ESRCH;
	if (!to || to->engine != t->e)
		return -EINVAL;
	err = memcg_attach_task(to);
	if (err)
		return err;
	css_get(to);
	/* MGLRU's walk of a cgroup's tasks reads it under the lock */
	pthread_mutex_lock(&sim_of(t->e)->lock);
	from = t->memcg;
	t->memcg = to;
	pthread_mutex_unlock(&sim_of(t->e)->lock);
	if (from != to)
		atomic_store(&t->mm->lru_gen_new, true);	/* lru_gen_migrate_mm() */
	memcg_victim_move(t->victim, to);
	if (t->e->v1 && (to->v1->move_charge_at_immigrate & 1) && from != to)
		move_charge(t, from, to);
	memcg_detach_task(from);
	css_put(from);
	mem_cgroup_release_pending(t->e);
	return 0;
}

int memcg_task_set_oom_score_adj(struct memcg_task *t, int adj)
{
	if (!t || !t->mm)
		return -ESRCH;
	if (memcg_victim_set_oom_score_adj(t->victim, adj))
		return -EINVAL;
	t->oom_score_adj = adj;
	return 0;
}

bool memcg_task_sigbus(struct memcg_task *t)
{
	return t && t->sigbus;
}

bool memcg_task_killed(struct memcg_task *t)
{
	return t->killed;
}

bool memcg_task_alive(struct memcg_task *t)
{
	return t->mm != NULL;
}

const char *memcg_task_name(struct memcg_task *t)
{
	return t->name;
}

struct mem_cgroup *memcg_task_memcg(struct memcg_task *t)
{
	return t->memcg;
}

/* Reclaim on other threads changes both counts, under sim->lock. */
static long mm_count(struct memcg_task *t, bool swap)
{
	struct memcg_sim *sim = sim_of(t->e);
	long n = 0;

	if (!t->mm)
		return 0;
	pthread_mutex_lock(&sim->lock);
	n = swap ? t->mm->swapents : t->mm->rss;
	pthread_mutex_unlock(&sim->lock);
	return n;
}

long memcg_task_rss_pages(struct memcg_task *t)
{
	return mm_count(t, false);
}

long memcg_task_swap_pages(struct memcg_task *t)
{
	return mm_count(t, true);
}

void memcg_task_for_each(struct memcg_engine *e,
			 void (*fn)(struct memcg_task *t, void *arg), void *arg)
{
	struct memcg_sim *sim = sim_of(e);
	struct memcg_task *t;

	for (t = sim ? sim->tasks : NULL; t; t = t->next)
		fn(t, arg);
}
