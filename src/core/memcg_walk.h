/* SPDX-License-Identifier: MIT */
/*
 * Walking a cgroup subtree without recursion, so that no depth of the
 * tree is bound by a thread's stack: the kernel's
 * css_next_descendant_pre(), parents before their children.
 *
 * Call under rcu_read_lock(). The links are read with acquire loads,
 * which pair with the release stores of memcg_tree.c's
 * children_add_rcu() and children_del_rcu() (plain moves on x86; what
 * ThreadSanitizer needs to see the ordering).
 */
#ifndef MEMCG_CORE_MEMCG_WALK_H
#define MEMCG_CORE_MEMCG_WALK_H

#include "core/memcontrol.h"

static inline struct cds_list_head *memcg_link_next(struct cds_list_head *l)
{
	return __atomic_load_n(&l->next, __ATOMIC_ACQUIRE);
}

/**
 * memcg_next_descendant_skip - the cgroup after @pos's whole subtree in
 * @root's pre-order walk: @pos's descendants are skipped
 * @pos: the current cgroup
 * @root: the walk's root
 *
 * Return: the next cgroup, or NULL after the last.
 */
static inline struct mem_cgroup *
memcg_next_descendant_skip(struct mem_cgroup *pos, struct mem_cgroup *root)
{
	struct cds_list_head *next;

	for (; pos != root; pos = pos->parent) {
		next = memcg_link_next(&pos->sibling);
		if (next != &pos->parent->children)
			return cds_list_entry(next, struct mem_cgroup, sibling);
	}
	return NULL;
}

/**
 * memcg_next_descendant_pre - the cgroup after @pos in @root's subtree
 * @pos: the current cgroup, or NULL to start at @root
 * @root: the subtree's root
 *
 * Return: the next cgroup in pre-order, or NULL after the last.
 */
static inline struct mem_cgroup *
memcg_next_descendant_pre(struct mem_cgroup *pos, struct mem_cgroup *root)
{
	struct cds_list_head *next;

	if (!pos)
		return root;
	next = memcg_link_next(&pos->children);
	if (next != &pos->children)
		return cds_list_entry(next, struct mem_cgroup, sibling);
	return memcg_next_descendant_skip(pos, root);
}

static inline struct mem_cgroup *memcg_leftmost_descendant(struct mem_cgroup *pos)
{
	struct cds_list_head *first;

	while ((first = memcg_link_next(&pos->children)) != &pos->children)
		pos = cds_list_entry(first, struct mem_cgroup, sibling);
	return pos;
}

/**
 * memcg_next_descendant_post - the cgroup after @pos in @root's subtree,
 * children before their parent (css_next_descendant_post)
 * @pos: the current cgroup, or NULL to start
 * @root: the subtree's root, the last one visited
 *
 * Return: the next cgroup in post-order, or NULL after @root.
 */
static inline struct mem_cgroup *
memcg_next_descendant_post(struct mem_cgroup *pos, struct mem_cgroup *root)
{
	struct cds_list_head *next;

	if (!pos)
		return memcg_leftmost_descendant(root);
	if (pos == root)
		return NULL;
	next = memcg_link_next(&pos->sibling);
	if (next != &pos->parent->children)
		return memcg_leftmost_descendant(cds_list_entry(next,
						 struct mem_cgroup, sibling));
	return pos->parent;
}

/* Every cgroup of @root's subtree, @root first. */
#define memcg_for_each_descendant_pre(pos, root)			\
	for (pos = (root); pos; pos = memcg_next_descendant_pre(pos, root))

#endif /* MEMCG_CORE_MEMCG_WALK_H */
