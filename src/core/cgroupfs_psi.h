/* SPDX-License-Identifier: MIT */
/*
 * The cgroup core's pressure files on cgroup v2 (cgroupfs_psi.c): the
 * kernel's cgroup_psi_files[], looked up after the controller's files.
 */
#ifndef MEMCG_CORE_CGROUPFS_PSI_H
#define MEMCG_CORE_CGROUPFS_PSI_H

#include <stdbool.h>

#include "core/cgroupfs.h"

extern const struct cftype cgroup_psi_files[];

/**
 * cgroup_file_write_raw - whether @cft's handler takes the text unstripped
 * @cft: file type
 *
 * The pressure files hand the text to the trigger parser as written,
 * leading whitespace included; the memory controller's files strip it.
 */
bool cgroup_file_write_raw(const struct cftype *cft);

#endif /* MEMCG_CORE_CGROUPFS_PSI_H */
