/* SPDX-License-Identifier: MIT */
/*
 * The kernel oracle's host side: what prepare.sh installed and found (the
 * kernel, its modules, qemu, busybox) and where the oracle's own files
 * are (the player binary, init.sh, the cache directory).
 *
 * Where they are, first found first:
 *   1. the environment:
 *      MEMCG_ORACLE_DIR     the directory of prepare.sh and init.sh
 *      MEMCG_ORACLE_PLAYER  the static player binary
 *      MEMCG_ORACLE_CACHE   where initramfs archives and run directories go
 *   2. an installed memcg (`cmake --install`): the player, prepare.sh and
 *      init.sh in <prefix>/libexec/memcg/, found from the running
 *      executable (<prefix>/bin/memcg), so that the prefix can move; the
 *      cache in $XDG_CACHE_HOME/memcg/kernel-oracle (~/.cache/...)
 *   3. the build tree, compiled in by tools/kernel-oracle/CMakeLists.txt
 * Not thread-safe.
 */
#ifndef MEMCG_ORACLE_HOST_H
#define MEMCG_ORACLE_HOST_H

#include <stddef.h>

#define HOST_MAX_MODULES 32

/**
 * struct oracle_host - the host's pieces
 * @kernel: /boot/vmlinuz-<kver>
 * @kver: the kernel release
 * @series: the series asked for: "6.1" or "6.12"
 * @hz: CONFIG_HZ of that kernel (0: unknown)
 * @moddir: /lib/modules/<kver>
 * @modules: module paths relative to @moddir, in load order
 * @nr_modules: how many
 * @qemu: qemu-system-x86_64
 * @busybox: a static busybox
 * @srcdir: where prepare.sh and init.sh are
 * @player: the static player
 * @cache: the cache directory (created)
 */
struct oracle_host {
	char kernel[512];
	char kver[128];
	char series[8];
	unsigned hz;
	char moddir[512];
	char modules[HOST_MAX_MODULES][256];
	size_t nr_modules;
	char qemu[512];
	char busybox[512];
	char srcdir[1024];
	char player[1024];
	char cache[1024];
};

/* Where host_paths() found the oracle's files. */
enum host_from {
	HOST_FROM_BUILD,	/* the build tree */
	HOST_FROM_INSTALL,	/* <prefix>/libexec/memcg beside bin/memcg */
};

/**
 * host_paths - fill @h->srcdir, @h->player and @h->cache (see above)
 * @h: host
 *
 * Return: where the player was found (the environment overrides each
 * path on its own).
 */
enum host_from host_paths(struct oracle_host *h);

/**
 * host_prepare - run prepare.sh (installs missing packages) and fill @h
 * @h: host
 * @series: the kernel series, "6.1" or "6.12" (MEMCG_ORACLE_KERNEL)
 * @err: receives a message on failure
 * @errlen: size of @err
 *
 * Return: 0 or -1 with @err set.
 */
int host_prepare(struct oracle_host *h, const char *series, char *err,
		 size_t errlen);

#endif /* MEMCG_ORACLE_HOST_H */
