/* SPDX-License-Identifier: MIT */
/*
 * The kernel oracle's initramfs: a base archive built once and cached
 * (busybox, /init, the kernel modules, the player), and for each run a
 * small archive with the scenario and its settings appended to it.
 *
 * The base archive is cached in the cache directory as
 * initramfs-<kver>-<hash>.cpio, where the hash covers the player, init.sh,
 * busybox and the modules: rebuilding the player or changing init.sh makes
 * a new one (and removes the old). Not thread-safe.
 */
#ifndef MEMCG_ORACLE_INITRAMFS_H
#define MEMCG_ORACLE_INITRAMFS_H

#include <stddef.h>

#include "host.h"

/**
 * initramfs_base - find or build the cached base archive
 * @h: host
 * @path: receives its path
 * @len: size of @path
 * @err: receives a message on failure
 * @errlen: size of @err
 *
 * Return: 0 or -1 with @err set.
 */
int initramfs_base(const struct oracle_host *h, char *path, size_t len,
		   char *err, size_t errlen);

/**
 * initramfs_run - write a run's initramfs: the base archive followed by
 * one with /oracle/scenario.scn and /oracle/env
 * @base: the base archive
 * @path: the file to write
 * @scenario: the scenario file's bytes
 * @scenario_len: how many
 * @env: the content of /oracle/env (shell assignments for init.sh)
 *
 * Return: 0 or a negative errno.
 */
int initramfs_run(const char *base, const char *path, const char *scenario,
		  size_t scenario_len, const char *env);

#endif /* MEMCG_ORACLE_INITRAMFS_H */
