// SPDX-License-Identifier: MIT
/*
 * The errno probe: runs every row of tests/helpers/errno_rows.h on the
 * real cgroup filesystem, inside the kernel oracle's VM in place of the
 * player, for inputs a scenario cannot spell (NUL bytes, empty writes,
 * leading blanks, path forms such as A/./B):
 *
 *   MEMCG_ORACLE_PLAYER=build/tests/errno-probe memcg kernel \
 *       tests/kernel/probe/errno_probe.scn [--kernel 6.12] [--mode v1]
 *
 * (scripts/errno-kernel.sh does it for each kernel and mode). It takes the player's arguments (--root DIR, --mode v1|v2; the rest and
 * the scenario are ignored), runs the rows of that mode, each on a fresh
 * hierarchy, and prints "ok ROW" or "FAIL ROW: got X, want Y" against the
 * column of the kernel it runs on (/proc/sys/kernel/osrelease), so the
 * oracle counts failures as failed expects, then "# errno-probe: N rows,
 * F failed". Paths go below the root's directory fd (row_at()).
 *
 *   errno-probe --markdown    the rows as docs/ERRNO.md's table, on the host
 *
 * Static, single-threaded, no libmemcg.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errname.h"
#include "errno_rows.h"

#define PROBE_SCN "tests/kernel/probe/errno_probe.scn"

static const char *res_name(int res)
{
	if (res == ERRNO_NA)
		return "n/a";
	return res ? errname(res) : "0";
}

/* --- on the kernel --- */

struct probe {
	const char *root;
	bool v1;
	bool k612;
	int rootfd;		/* the root's directory, for row_at() */
	unsigned failed;
};

static void join(const struct probe *p, const char *path, const char *file,
		 char *out, size_t size)
{
	snprintf(out, size, "%s/%s%s%s", p->root, path, file ? "/" : "",
		 file ? file : "");
}

/*
 * Where a row's path goes: below the root's directory fd, as the engine's
 * API takes paths below the root, so that PATH_MAX counts the same bytes;
 * "" and paths from "/" through the mount point's path ("/sys/fs/cgroup//A").
 */
static int row_at(const struct probe *p, const char *path, const char *file,
		  char *out, size_t size)
{
	if (!*path || *path == '/') {
		join(p, path, file, out, size);
		return AT_FDCWD;
	}
	snprintf(out, size, "%s%s%s", path, file ? "/" : "", file ? file : "");
	return p->rootfd;
}

/* Remove every cgroup below the directory @dirfd, children first. */
static void clean_at(int dirfd)
{
	struct dirent *d;
	DIR *dp = fdopendir(dup(dirfd));

	if (!dp)
		return;
	rewinddir(dp);		/* the dup shares the offset of earlier calls */
	while ((d = readdir(dp))) {
		int sub;

		if (d->d_type != DT_DIR || !strcmp(d->d_name, ".") ||
		    !strcmp(d->d_name, ".."))
			continue;
		sub = openat(dirfd, d->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (sub >= 0) {
			clean_at(sub);
			close(sub);
		}
		if (unlinkat(dirfd, d->d_name, AT_REMOVEDIR))
			fprintf(stderr, "errno-probe: rmdir %.64s: %s\n",
				d->d_name, strerror(errno));
	}
	closedir(dp);
}

static void clean(const struct probe *p)
{
	clean_at(p->rootfd);
}

static int write_at(int dirfd, const char *path, const char *buf, size_t len)
{
	int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) < 0)
		err = -errno;
	close(fd);
	return err;
}

static int write_buf(const char *path, const char *buf, size_t len)
{
	return write_at(AT_FDCWD, path, buf, len);
}

/* The first bytes of @path into @buf, NUL-terminated. */
static int read_at(int dirfd, const char *path, char *buf, size_t size)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	buf[n] = '\0';
	close(fd);
	return 0;
}

static int fixture(const struct probe *p, const struct errno_row *r)
{
	char path[8192];

	join(p, "A", NULL, path, sizeof(path));
	if (mkdir(path, 0755))
		return -errno;
	if (r->fix != ERRNO_FIX_AB)
		return 0;
	if (!p->v1) {
		join(p, "A", "cgroup.subtree_control", path, sizeof(path));
		if (write_buf(path, "+memory", 7))
			return -EIO;
	}
	join(p, "A/B", NULL, path, sizeof(path));
	return mkdir(path, 0755) ? -errno : 0;
}

static int run_op(const struct probe *p, const struct errno_row *r)
{
	char path[8192], buf[8192];
	int dirfd = row_at(p, r->path, r->file, path, sizeof(path));

	switch (r->op) {
	case ERRNO_OP_WRITE:
		if (r->value)
			return write_at(dirfd, path, r->value, r->len);
		memset(buf, '0', r->len);
		return write_at(dirfd, path, buf, r->len);
	case ERRNO_OP_READ:
		return read_at(dirfd, path, buf, sizeof(buf));
	case ERRNO_OP_MKDIR:
		return mkdirat(dirfd, path, 0755) ? -errno : 0;
	case ERRNO_OP_RMDIR:
		return unlinkat(dirfd, path, AT_REMOVEDIR) ? -errno : 0;
	}
	return -EINVAL;
}

/* After success: the file's content, or the new cgroup's directory. */
static bool check_show(const struct probe *p, const struct errno_row *r,
		       char *got, size_t size)
{
	char path[8192];
	struct stat st;

	if (!r->show)
		return true;
	if (r->op == ERRNO_OP_MKDIR) {
		int dirfd = row_at(p, r->show, NULL, path, sizeof(path));

		snprintf(got, size, "no directory %.64s", r->show);
		return !fstatat(dirfd, path, &st, 0) && S_ISDIR(st.st_mode);
	}
	read_at(row_at(p, r->path, r->file, path, sizeof(path)), path, got,
		size);
	return !strcmp(got, r->show);
}

static void probe_row(struct probe *p, const struct errno_row *r)
{
	int want = p->k612 ? r->k612 : r->k61, got;
	char label[600], shown[8192], esc[300];

	errno_row_label(r, label, sizeof(label));
	clean(p);
	got = fixture(p, r);
	if (!got && r->pre_file) {
		join(p, r->pre_path ? r->pre_path : r->path, r->pre_file,
		     shown, sizeof(shown));
		got = write_buf(shown, r->pre_value, strlen(r->pre_value));
	}
	if (got) {
		printf("FAIL %s: setup: %s\n", label, errname(got));
		p->failed++;
		return;
	}
	got = run_op(p, r);
	if (got != want) {
		printf("FAIL %s: got %s, want %s\n", label, res_name(got),
		       res_name(want));
		p->failed++;
	} else if (!got && !check_show(p, r, shown, sizeof(shown))) {
		errno_escape(shown, strlen(shown), esc, sizeof(esc));
		printf("FAIL %s: shows \"%s\"\n", label, esc);
		p->failed++;
	} else {
		printf("ok %s: %s\n", label, res_name(got));
	}
	fflush(stdout);
	clean(p);
}

static bool kernel_is_612(void)
{
	char rel[64] = "";
	FILE *f = fopen("/proc/sys/kernel/osrelease", "r");

	if (f) {
		if (!fgets(rel, sizeof(rel), f))
			rel[0] = '\0';
		fclose(f);
	}
	return !strncmp(rel, "6.12.", 5);
}

/* "# files DIR: a b c": the names a cgroup directory holds. */
static void list_dir(const char *label, const char *dir)
{
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp)
		return;
	printf("# files %s:", label);
	while ((d = readdir(dp)))
		if (d->d_type != DT_DIR)
			printf(" %s", d->d_name);
	printf("\n");
	closedir(dp);
}

/* The names in the root and in A: what mkdir finds taken. */
static void list_files(const struct probe *p)
{
	struct errno_row r = { .fix = ERRNO_FIX_AB };
	char path[8192];

	clean(p);
	if (fixture(p, &r))
		return;
	list_dir("root", p->root);
	join(p, "A", NULL, path, sizeof(path));
	list_dir("A", path);
	join(p, "A/B", NULL, path, sizeof(path));
	list_dir("A/B", path);
	clean(p);
}

/* --- the table for docs/ERRNO.md --- */

/* The input column: the bytes written, or the path of mkdir/rmdir. */
static void markdown_input(const struct errno_row *r, char *out, size_t size)
{
	char esc[300];

	if (r->op == ERRNO_OP_READ) {
		snprintf(out, size, "(read)");
	} else if (r->op == ERRNO_OP_WRITE) {
		errno_value_str(r, esc, sizeof(esc));
		snprintf(out, size, "`%s`%s%s%s%s", esc,
			 r->pre_file ? " after " : "",
			 r->pre_file ? r->pre_file : "",
			 r->pre_file ? " = " : "",
			 r->pre_value ? r->pre_value : "");
	} else {
		errno_escape(r->path, strlen(r->path), esc, sizeof(esc));
		snprintf(out, size, "`\"%s\"`", esc);
	}
}

/* The file column: where the write or read goes, "(directory)" else. */
static void markdown_file(const struct errno_row *r, char *out, size_t size)
{
	char esc[300];

	if (!r->file) {
		snprintf(out, size, "%s", errno_op_name(r->op));
		return;
	}
	errno_escape(r->path, strlen(r->path), esc, sizeof(esc));
	snprintf(out, size, "%s `%s%s%s`", errno_op_name(r->op), esc,
		 *r->path ? "/" : "", r->file);
}

static void markdown_row(unsigned i, const struct errno_row *r,
			 unsigned *nr_notes)
{
	char in[400], file[400], eng[96], note[16] = "";

	markdown_input(r, in, sizeof(in));
	markdown_file(r, file, sizeof(file));
	if (r->note && (r->e61 != r->k61 || r->e612 != r->k612))
		snprintf(note, sizeof(note), " [%u]", ++*nr_notes);
	if (r->e61 == r->k61 && r->e612 == r->k612)
		snprintf(eng, sizeof(eng), "same");
	else if (r->v1 || r->e61 == r->e612)
		snprintf(eng, sizeof(eng), "**%s**%s", res_name(r->e61), note);
	else
		snprintf(eng, sizeof(eng), "**%s / %s**%s", res_name(r->e61),
			 res_name(r->e612), note);
	printf("| %u | %s%s | %s | %s | %s | %s | %s |\n", i + 1, file,
	       r->fix == ERRNO_FIX_AB ? " (A/B exists)" : "", in,
	       res_name(r->k61), res_name(r->k612), eng,
	       r->v1 ? "probe v1" : "probe");
}

static int markdown(void)
{
	unsigned nr_notes = 0, n = 0;

	printf("| # | operation | input | 6.1 | 6.12 | engine | verified |\n");
	printf("|---|---|---|---|---|---|---|\n");
	for (unsigned i = 0; i < ERRNO_NR_ROWS; i++)
		markdown_row(i, &errno_rows[i], &nr_notes);
	printf("\n");
	for (unsigned i = 0; i < ERRNO_NR_ROWS; i++) {
		const struct errno_row *r = &errno_rows[i];

		if (r->note && (r->e61 != r->k61 || r->e612 != r->k612))
			printf("[%u] row %u: %s.  \n", ++n, i + 1, r->note);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct probe p = { .root = "/sys/fs/cgroup" };
	unsigned n = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--markdown"))
			return markdown();
		if (!strcmp(argv[i], "--root") && i + 1 < argc)
			p.root = argv[++i];
		else if (!strcmp(argv[i], "--mode") && i + 1 < argc)
			p.v1 = !strcmp(argv[++i], "v1");
		else if (!strcmp(argv[i], "--cmd-timeout") && i + 1 < argc)
			i++;
	}
	p.k612 = kernel_is_612();
	p.rootfd = open(p.root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p.rootfd < 0) {
		printf("FAIL open %s: %s\n", p.root, strerror(errno));
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	list_files(&p);
	for (unsigned i = 0; i < ERRNO_NR_ROWS; i++) {
		if (errno_rows[i].v1 != p.v1)
			continue;
		probe_row(&p, &errno_rows[i]);
		n++;
	}
	printf("# errno-probe: %u rows, %u failed (kernel %s, %s)\n", n,
	       p.failed, p.k612 ? "6.12" : "6.1", p.v1 ? "v1" : "v2");
	return p.failed ? 1 : 0;
}
