// SPDX-License-Identifier: MIT
/*
 * Extract and cache the uncompressed kernel for a PVH boot. See vmlinux.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmlinux.h"

/* Compressed payloads a bzImage may carry, and how to undo them. */
static const struct {
	const char *magic;
	size_t len;
	const char *cmd;
} formats[] = {
	{ "\xfd" "7zXZ\0", 6, "xz -dc --single-stream" },
	{ "\x28\xb5\x2f\xfd", 4, "zstd -dcq" },
	{ "\x1f\x8b\x08", 3, "gzip -dc" },
};

/* Whether /boot/config-<kver> says CONFIG_PVH=y. */
static int has_pvh(const struct oracle_host *h)
{
	char path[700], line[256];
	FILE *f;
	int yes = 0;

	snprintf(path, sizeof(path), "/boot/config-%s", h->kver);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strcmp(line, "CONFIG_PVH=y\n"))
			yes = 1;
	fclose(f);
	return yes;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 &&
	    !fseek(f, 0, SEEK_SET)) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

/* Decompress the payload of @h->kernel into @out. Return 0 or -1. */
static int extract(const struct oracle_host *h, const char *out)
{
	char cmd[2048], head[4];
	size_t len = 0;
	char *img = read_file(h->kernel, &len);
	int ret = -1;

	if (!img)
		return -1;
	for (size_t f = 0; f < sizeof(formats) / sizeof(*formats); f++) {
		const char *p = memmem(img, len, formats[f].magic,
				       formats[f].len);
		FILE *pipe, *check;
		void (*old)(int);
		int status;

		if (!p)
			continue;
		snprintf(cmd, sizeof(cmd), "%s >'%s' 2>/dev/null",
			 formats[f].cmd, out);
		pipe = popen(cmd, "w");
		if (!pipe)
			break;
		/* xz stops reading at the end of its stream: EPIPE, no signal */
		old = signal(SIGPIPE, SIG_IGN);
		fwrite(p, 1, len - (size_t)(p - img), pipe);
		status = pclose(pipe);
		signal(SIGPIPE, old);
		/* gzip complains about the bzImage's trailer: check the ELF. */
		check = fopen(out, "rb");
		if (check) {
			if (fread(head, 1, 4, check) == 4 &&
			    !memcmp(head, "\x7f" "ELF", 4))
				ret = 0;
			fclose(check);
		}
		(void)status;
		break;
	}
	free(img);
	return ret;
}

/**
 * vmlinux_image - the image to pass to qemu -kernel
 * @h: host
 * @path: receives the cached vmlinux, or @h->kernel
 * @len: size of @path
 */
void vmlinux_image(const struct oracle_host *h, char *path, size_t len)
{
	char cached[1300], tmp[1400];

	snprintf(path, len, "%s", h->kernel);
	if (getenv("MEMCG_ORACLE_BZIMAGE") || !has_pvh(h))
		return;
	snprintf(cached, sizeof(cached), "%s/vmlinux-%s", h->cache, h->kver);
	if (access(cached, R_OK) == 0) {
		snprintf(path, len, "%s", cached);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", cached, (int)getpid());
	if (extract(h, tmp) == 0 && rename(tmp, cached) == 0) {
		snprintf(path, len, "%s", cached);
		return;
	}
	unlink(tmp);
}
