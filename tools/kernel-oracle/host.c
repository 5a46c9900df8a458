// SPDX-License-Identifier: MIT
/*
 * Run prepare.sh and read its KEY=VALUE lines. See host.h.
 */
#include <errno.h>
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

static void set(char *dst, size_t len, const char *v)
{
	snprintf(dst, len, "%s", v);
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
	set(h->srcdir, sizeof(h->srcdir),
	    env_or("MEMCG_ORACLE_DIR", MEMCG_ORACLE_SRC_DIR));
	set(h->player, sizeof(h->player),
	    env_or("MEMCG_ORACLE_PLAYER", MEMCG_ORACLE_PLAYER));
	set(h->cache, sizeof(h->cache),
	    env_or("MEMCG_ORACLE_CACHE", MEMCG_ORACLE_CACHE));
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
