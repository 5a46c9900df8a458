/* SPDX-License-Identifier: MIT */
/*
 * The kernel image qemu boots. Debian's bzImage is XZ-compressed, and
 * under TCG its decompressor alone takes about 5 seconds of every boot.
 * A kernel built with CONFIG_PVH boots from the uncompressed ELF vmlinux
 * directly, so the oracle extracts it once (the compressed payload inside
 * the bzImage, through xz, gzip or zstd) and caches it in the cache
 * directory as vmlinux-<kver>. Without CONFIG_PVH, or when extraction
 * fails, the bzImage is booted as it is. Not thread-safe.
 */
#ifndef MEMCG_ORACLE_VMLINUX_H
#define MEMCG_ORACLE_VMLINUX_H

#include <stddef.h>

#include "host.h"

/**
 * vmlinux_image - the image to pass to qemu -kernel
 * @h: host
 * @path: receives the cached vmlinux, or @h->kernel
 * @len: size of @path
 */
void vmlinux_image(const struct oracle_host *h, char *path, size_t len);

#endif /* MEMCG_ORACLE_VMLINUX_H */
