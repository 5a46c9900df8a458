// SPDX-License-Identifier: MIT
/*
 * The cgroup core's pressure files on cgroup v2 (cgroup_psi_files[] in the
 * kernel's kernel/cgroup/cgroup.c), in every cgroup and the root: only
 * memory.pressure, the engine's one resource.
 */
#include <errno.h>

#include "core/cgroup.h"
#include "core/cgroupfs_psi.h"

static void memory_pressure_show(struct memcg_file *f, struct seqbuf *s)
{
	psi_show(s, cgroup_psi(f->memcg));
}

/*
 * pressure_write(): one trigger per open file, -EBUSY for a second one
 * before the text is even parsed; then psi_trigger_create()'s -EINVAL.
 * 6.12 takes windows below 500 ms from a writer with CAP_SYS_RESOURCE
 * (below 2 s a kernel poll thread serves them); the engine's callers are
 * privileged, as the oracle's root.
 * The trigger lives until the file is closed (cgroup_file_release()).
 */
static int memory_pressure_write(struct memcg_file *f, char *buf)
{
	struct psi_trigger_params params;
	struct cgroup_file_ctx *ctx;
	struct cgroup *cgrp;
	bool k612 = f->memcg->engine->cfg.kernel == MEMCG_KERNEL_6_12;
	int parse_err = psi_trigger_parse(buf, k612, &params), err;

	/* without state yet there is no trigger: the parse error stands */
	cgrp = parse_err ? memcg_cgroup(f->memcg) :
			   memcg_cgroup_alloc(f->memcg);
	if (!cgrp)
		return parse_err ? parse_err : -ENOMEM;
	pthread_mutex_lock(&cgrp->file_lock);
	ctx = cgroup_file_ctx_find(cgrp, f);
	if (ctx && ctx->trigger)
		err = -EBUSY;
	else if (parse_err)
		err = parse_err;
	else if (!(err = cgroup_file_ctx_get(cgrp, f, CGROUP_FILE_PRESSURE,
					     &ctx)))
		err = psi_trigger_create(&cgrp->psi, &params, ctx->efd,
					 &ctx->trigger);
	pthread_mutex_unlock(&cgrp->file_lock);
	return err;
}

const struct cftype cgroup_psi_files[] = {
	{ "memory.pressure", 0, memory_pressure_show, memory_pressure_write },
	{ NULL, 0, NULL, NULL },
};

bool cgroup_file_write_raw(const struct cftype *cft)
{
	const struct cftype *p;

	for (p = cgroup_psi_files; p->name; p++)
		if (p == cft)
			return true;
	return false;
}
