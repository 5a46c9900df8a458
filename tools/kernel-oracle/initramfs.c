// SPDX-License-Identifier: MIT
/*
 * Build and cache the oracle's initramfs. See initramfs.h for the layout
 * and init.sh for what runs in it.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpio.h"
#include "initramfs.h"

/* Bump when the layout changes without any input file changing. */
#define LAYOUT_VERSION "kernel-oracle initramfs 1"

/* The busybox applets init.sh uses (and a few for debugging). */
static const char *const applets[] = {
	"sh", "mount", "umount", "insmod", "mkswap", "swapon", "mke2fs",
	"mkdir", "cat", "echo", "poweroff", "sync", "sleep", "ls", "dmesg",
	"free", "ps",
};

/* FNV-1a, 64 bits. */
static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int hash_file(uint64_t *h, const char *path)
{
	char buf[65536];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -errno;
	*h = fnv(*h, path, strlen(path) + 1);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		*h = fnv(*h, buf, n);
	fclose(f);
	return 0;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* Remove older base archives of the same kernel from the cache. */
static void remove_stale(const char *cache, const char *kver,
			 const char *keep)
{
	DIR *d = opendir(cache);
	struct dirent *de;
	char path[2048], prefix[200];

	if (!d)
		return;
	snprintf(prefix, sizeof(prefix), "initramfs-%s-", kver);
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, prefix, strlen(prefix)) ||
		    !strcmp(de->d_name, base_name(keep)))
			continue;
		snprintf(path, sizeof(path), "%s/%s", cache, de->d_name);
		unlink(path);
	}
	closedir(d);
}

/* The decompressor of a compressed module (6.12 ships .ko.xz), or NULL. */
static const char *decompressor(const char *ko)
{
	static const char *const tools[][2] = {
		{ ".ko.xz", "xz -dc" },
		{ ".ko.zst", "zstd -dcq" },
		{ ".ko.gz", "gzip -dc" },
	};
	size_t n = strlen(ko);

	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		size_t m = strlen(tools[i][0]);

		if (n > m && !strcmp(ko + n - m, tools[i][0]))
			return tools[i][1];
	}
	return NULL;
}

/* The whole output of "@tool '@path'"; NULL if it fails. */
static char *read_decompressed(const char *tool, const char *path,
			       size_t *len)
{
	char cmd[2200], *buf = NULL;
	size_t cap = 0, n = 0, got;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "%s '%s'", tool, path);
	p = popen(cmd, "r");
	if (!p)
		return NULL;
	do {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 1 << 20;
			char *nb = realloc(buf, ncap);

			if (!nb)
				goto fail;
			buf = nb;
			cap = ncap;
		}
		got = fread(buf + n, 1, cap - n, p);
		n += got;
	} while (got);
	if (pclose(p) != 0 || !n) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
fail:
	pclose(p);
	free(buf);
	return NULL;
}

/*
 * Add module @rel of @h to the archive as oracle/<name>.ko, decompressed
 * when it is compressed, and its line to @modlist.
 */
static int add_module(struct cpio *c, const struct oracle_host *h,
		      const char *rel, char *modlist, size_t listlen)
{
	const char *tool = decompressor(rel);
	char src[2048], ko[256], name[300];
	size_t n = strlen(modlist);

	snprintf(src, sizeof(src), "%s/%s", h->moddir, rel);
	snprintf(ko, sizeof(ko), "%s", base_name(rel));
	if (tool) {
		size_t len;
		char *data = read_decompressed(tool, src, &len);

		if (!data)
			return -EIO;
		*strrchr(ko, '.') = '\0';	/* zram.ko.xz -> zram.ko */
		snprintf(name, sizeof(name), "oracle/%s", ko);
		cpio_file(c, name, 0644, data, len);
		free(data);
	} else {
		snprintf(name, sizeof(name), "oracle/%s", ko);
		cpio_copy(c, name, 0644, src);
	}
	/* zram0 is the swap device, zram1 the scratch disk */
	snprintf(modlist + n, listlen - n, "%s%s\n", ko,
		 !strcmp(ko, "zram.ko") ? " num_devices=2" : "");
	return 0;
}

static int build(const struct oracle_host *h, const char *path)
{
	char tmp[2048], src[2048], modlist[HOST_MAX_MODULES * 300] = "";
	struct cpio c;
	FILE *f;
	int err = 0, ret;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	f = fopen(tmp, "wb");
	if (!f)
		return -errno;
	cpio_init(&c, f);
	for (const char *const *d = (const char *const[]){ "bin", "dev",
	     "proc", "sys", "tmp", "scratch", "oracle", NULL }; *d; d++)
		cpio_dir(&c, *d, 0755);
	cpio_chardev(&c, "dev/console", 0600, 5, 1);
	cpio_copy(&c, "bin/busybox", 0755, h->busybox);
	for (size_t i = 0; i < sizeof(applets) / sizeof(applets[0]); i++) {
		char name[64];

		snprintf(name, sizeof(name), "bin/%s", applets[i]);
		cpio_symlink(&c, name, "busybox");
	}
	snprintf(src, sizeof(src), "%s/init.sh", h->srcdir);
	cpio_copy(&c, "init", 0755, src);
	cpio_copy(&c, "oracle/player", 0755, h->player);
	for (size_t i = 0; i < h->nr_modules && !err; i++)
		err = add_module(&c, h, h->modules[i], modlist,
				 sizeof(modlist));
	cpio_file(&c, "oracle/modules", 0644, modlist, strlen(modlist));
	ret = cpio_finish(&c);
	err = err ? err : ret;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

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
		   char *err, size_t errlen)
{
	uint64_t hash = 0xcbf29ce484222325ULL;
	char src[2048];
	int ret;

	hash = fnv(hash, LAYOUT_VERSION, sizeof(LAYOUT_VERSION));
	snprintf(src, sizeof(src), "%s/init.sh", h->srcdir);
	ret = hash_file(&hash, src);
	if (!ret)
		ret = hash_file(&hash, h->player);
	if (!ret)
		ret = hash_file(&hash, h->busybox);
	for (size_t i = 0; i < h->nr_modules && !ret; i++) {
		snprintf(src, sizeof(src), "%s/%s", h->moddir, h->modules[i]);
		ret = hash_file(&hash, src);
	}
	if (ret) {
		snprintf(err, errlen, "initramfs: cannot read %s: %s", src,
			 strerror(-ret));
		return -1;
	}
	snprintf(path, len, "%s/initramfs-%s-%016" PRIx64 ".cpio", h->cache,
		 h->kver, hash);
	if (access(path, R_OK) == 0)
		return 0;
	ret = build(h, path);
	if (ret == -EIO) {
		snprintf(err, errlen, "initramfs: cannot decompress the modules "
			 "of %s (xz -dc: is xz-utils installed?)", h->kver);
		return -1;
	}
	if (ret) {
		snprintf(err, errlen, "initramfs: cannot write %s: %s", path,
			 strerror(-ret));
		return -1;
	}
	remove_stale(h->cache, h->kver, path);
	return 0;
}

/**
 * initramfs_run - write a run's initramfs: the base archive followed by
 * one with /oracle/scenario.scn and /oracle/env
 * @base: the base archive
 * @path: the file to write
 * @scenario: the scenario file's bytes
 * @scenario_len: how many
 * @env: the content of /oracle/env
 *
 * Return: 0 or a negative errno.
 */
int initramfs_run(const char *base, const char *path, const char *scenario,
		  size_t scenario_len, const char *env)
{
	char buf[65536];
	FILE *in, *out;
	struct cpio c;
	size_t n;
	int err = 0;

	in = fopen(base, "rb");
	if (!in)
		return -errno;
	out = fopen(path, "wb");
	if (!out) {
		err = -errno;
		fclose(in);
		return err;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			err = -EIO;
	if (ferror(in))
		err = -EIO;
	fclose(in);
	cpio_init(&c, out);
	cpio_file(&c, "oracle/scenario.scn", 0644, scenario, scenario_len);
	cpio_file(&c, "oracle/env", 0644, env, strlen(env));
	if (!err)
		err = cpio_finish(&c);
	if (fclose(out) && !err)
		err = -errno;
	return err;
}
