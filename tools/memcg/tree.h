/* SPDX-License-Identifier: MIT */
/*
 * `memcg tree` and `memcg run --show-tree`: the cgroup tree of an engine
 * with usage bars, limits, protection, swap and events, like systemd-cgtop
 * meets tree(1). The public API has no child iterator: the tree is built
 * from the paths the scenario's mkdir lines created.
 */
#ifndef MEMCG_TOOL_TREE_H
#define MEMCG_TOOL_TREE_H

#include <stdbool.h>
#include <stdio.h>

#include "memcg/memcg.h"
#include "scenario.h"

/**
 * tree_print - print the cgroup tree of @e
 * @e: engine (not modified; reads control files only)
 * @s: the scenario whose mkdir lines give the paths, and the machine
 * @out: output stream
 * @utf8: box-drawing characters instead of ASCII
 * @json: one JSON object per cgroup ({"kind":"cgroup",...}) instead
 *
 * The bar is memory.current against the tightest memory.max of the
 * cgroup and its ancestors, or against the machine's memory. Cgroups
 * removed by rmdir (or never created) are left out; a footer gives the
 * root's cgroup.stat (descendants, dying descendants) and the virtual
 * clock (time tasks spent throttled).
 */
void tree_print(struct memcg_engine *e, const struct scenario *s, FILE *out,
		bool utf8, bool json);

#endif /* MEMCG_TOOL_TREE_H */
