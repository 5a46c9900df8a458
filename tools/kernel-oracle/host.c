// SPDX-License-Identifier: MIT
/*
 * Run prepare.sh and read its KEY=VALUE lines. See host.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"

#ifndef MEMCG_ORACLE_SRC_DIR
#define MEMCG_ORACLE_SRC_DIR "tools/kernel-oracle"
#endif
#ifndef MEMCG_ORACLE_PLAYER
#define MEMCG_ORACLE_PLAYER "memcg-player"
#endif
#ifndef MEMCG_ORACLE_CACHE
#define MEMCG_ORACLE_CACHE "kernel-oracle"
#endif
/* An installed memcg's libexec directory, relative to its bin directory. */
#ifndef MEMCG_ORACLE_LIBEXEC_REL
#define MEMCG_ORACLE_LIBEXEC_REL "../libexec/memcg"
#endif

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

/* mkdir -p */
static int mkdirs(const char *path)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

/* @dst = @v, unless @v is NULL. */
static void set(char *dst, size_t len, const char *v)
{
	if (v)
		snprintf(dst, len, "%s", v);
}

/*
 * The libexec directory of an installed memcg: <dir of this
 * executable>/MEMCG_ORACLE_LIBEXEC_REL when a player is there.
 */
static bool installed_dir(char *dir, size_t len)
{
	char exe[800], player[1200], real[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe));
	char *slash;

	if (n <= 0 || n >= (ssize_t)sizeof(exe))	/* none, or too long */
		return false;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0';
	snprintf(dir, len, "%s/%s", exe, MEMCG_ORACLE_LIBEXEC_REL);
	snprintf(player, sizeof(player), "%s/memcg-player", dir);
	if (access(player, X_OK))
		return false;
	/* "<prefix>/libexec/memcg", not "<prefix>/bin/../libexec/memcg" */
	if (realpath(dir, real) && strlen(real) < len)
		memcpy(dir, real, strlen(real) + 1);
	return true;
}

/* $XDG_CACHE_HOME/memcg/kernel-oracle, ~/.cache/..., or /tmp. */
static void user_cache(char *dst, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (xdg && *xdg == '/')
		snprintf(dst, len, "%s/memcg/kernel-oracle", xdg);
	else if (home && *home == '/')
		snprintf(dst, len, "%s/.cache/memcg/kernel-oracle", home);
	else
		snprintf(dst, len, "/tmp/memcg-kernel-oracle-%u",
			 (unsigned)getuid());
}

/**
 * host_paths - fill @h->srcdir, @h->player and @h->cache
 * @h: host
 *
 * Return: HOST_FROM_INSTALL when an installed memcg runs, else
 * HOST_FROM_BUILD.
 */
enum host_from host_paths(struct oracle_host *h)
{
	char dir[960];		/* room for "/memcg-player" in h->player */
	enum host_from from = HOST_FROM_BUILD;

	set(h->srcdir, sizeof(h->srcdir), MEMCG_ORACLE_SRC_DIR);
	set(h->player, sizeof(h->player), MEMCG_ORACLE_PLAYER);
	set(h->cache, sizeof(h->cache), MEMCG_ORACLE_CACHE);
	if (installed_dir(dir, sizeof(dir))) {
		from = HOST_FROM_INSTALL;
		snprintf(h->srcdir, sizeof(h->srcdir), "%s", dir);
		snprintf(h->player, sizeof(h->player), "%s/memcg-player", dir);
		user_cache(h->cache, sizeof(h->cache));
	}
	set(h->srcdir, sizeof(h->srcdir), env_or("MEMCG_ORACLE_DIR", NULL));
	set(h->player, sizeof(h->player), env_or("MEMCG_ORACLE_PLAYER", NULL));
	set(h->cache, sizeof(h->cache), env_or("MEMCG_ORACLE_CACHE", NULL));
	return from;
}

/**
 * host_prepare - run prepare.sh (installs missing packages) and fill @h
 * @h: host
 * @series: the kernel series, "6.1" or "6.12"
 * @err: receives a message on failure
 * @errlen: size of @err
 *
 * Return: 0 or -1 with @err set.
 */
int host_prepare(struct oracle_host *h, const char *series, char *err,
		 size_t errlen)
{
	char cmd[1200], line[4096];
	FILE *p;
	int status;

	memset(h, 0, sizeof(*h));
	set(h->series, sizeof(h->series), series);
	host_paths(h);
	if (access(h->player, X_OK)) {
		snprintf(err, errlen, "the player %s is missing (build the "
			 "memcg-player target)", h->player);
		return -1;
	}
	if (mkdirs(h->cache)) {
		snprintf(err, errlen, "cannot create %s: %s", h->cache,
			 strerror(errno));
		return -1;
	}

	/* prepare.sh's own messages (apt-get) go to our stderr. */
	snprintf(cmd, sizeof(cmd), "MEMCG_ORACLE_KERNEL='%s' '%s/prepare.sh'",
		 h->series, h->srcdir);
	p = popen(cmd, "r");
	if (!p) {
		snprintf(err, errlen, "cannot run %s: %s", cmd, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), p)) {
		char *v = strchr(line, '=');

		line[strcspn(line, "\n")] = '\0';
		if (!v)
			continue;
		*v++ = '\0';
		if (!strcmp(line, "KERNEL")) {
			set(h->kernel, sizeof(h->kernel), v);
		} else if (!strcmp(line, "KVER")) {
			set(h->kver, sizeof(h->kver), v);
		} else if (!strcmp(line, "MODDIR")) {
			set(h->moddir, sizeof(h->moddir), v);
		} else if (!strcmp(line, "HZ")) {
			h->hz = (unsigned)strtoul(v, NULL, 10);
		} else if (!strcmp(line, "QEMU")) {
			set(h->qemu, sizeof(h->qemu), v);
		} else if (!strcmp(line, "BUSYBOX")) {
			set(h->busybox, sizeof(h->busybox), v);
		} else if (!strcmp(line, "MODULES")) {
			for (char *tok = strtok(v, " "); tok;
			     tok = strtok(NULL, " ")) {
				if (h->nr_modules == HOST_MAX_MODULES)
					break;
				set(h->modules[h->nr_modules++],
				    sizeof(h->modules[0]), tok);
			}
		}
	}
	status = pclose(p);
	if (status != 0) {
		snprintf(err, errlen, "%s failed (status %d)", cmd, status);
		return -1;
	}
	if (!h->kernel[0] || !h->kver[0] || !h->qemu[0] || !h->busybox[0]) {
		snprintf(err, errlen, "%s printed no kernel, qemu or busybox",
			 cmd);
		return -1;
	}
	return 0;
}
