// SPDX-License-Identifier: MIT
/*
 * The namespace operations of the mount: attributes, directory listings,
 * mkdir and rmdir of cgroups, and the kernel's refusals of everything
 * else a directory of cgroupfs does not do. Paths arrive from libfuse as
 * "/A/B", which memcg_lookup() and memcg_mkdir() take as they are.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "memcg/dir.h"
#include "fs.h"

int mfuse_resolve_file(struct memcg_fuse *m, const char *path,
		       struct mem_cgroup **memcg, const char **name)
{
	const char *slash = strrchr(path, '/');
	struct mem_cgroup *parent;
	char *dir;
	int ret;

	if (!slash || !slash[1])
		return -ENOENT;
	dir = strndup(path, (size_t)(slash - path));	/* "" is the root */
	if (!dir)
		return -ENOMEM;
	ret = memcg_lookup(m->e, dir, &parent);
	free(dir);
	if (ret)
		return ret;
	ret = memcg_file_mode(parent, slash + 1);
	if (ret < 0) {
		memcg_put(parent);
		return -ENOENT;	/* a child cgroup, or a file not served */
	}
	*memcg = parent;
	*name = slash + 1;
	return ret;
}

static int count_dir(void *arg, const char *name, unsigned int mode)
{
	if (mode & MEMCG_S_IFDIR)
		(*(nlink_t *)arg)++;
	return 0;
}

/* kernfs: a directory's links are its own two and one per subdirectory */
static nlink_t dir_nlink(struct mem_cgroup *memcg)
{
	nlink_t n = 2;

	memcg_readdir(memcg, count_dir, &n);
	return n;
}

static int mfuse_getattr(const char *path, struct stat *st,
			 struct fuse_file_info *fi)
{
	struct memcg_fuse *m = mfuse_self();
	struct mfuse_file *mf = fi ? (struct mfuse_file *)(uintptr_t)fi->fh :
				     NULL;
	struct mem_cgroup *memcg;
	const char *name;
	int ret;

	memset(st, 0, sizeof(*st));
	st->st_uid = m->uid;
	st->st_gid = m->gid;
	st->st_atim = st->st_mtim = st->st_ctim = m->mounted_at;
	st->st_blksize = 4096;
	if (mf) {			/* the kernel named the open file */
		st->st_mode = mf->mode;
		st->st_nlink = 1;
		return 0;
	}
	ret = memcg_lookup(m->e, path, &memcg);
	if (!ret) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = dir_nlink(memcg);
		memcg_put(memcg);
		return 0;
	}
	ret = mfuse_resolve_file(m, path, &memcg, &name);
	if (ret < 0)
		return ret;
	memcg_put(memcg);
	st->st_mode = (mode_t)ret;
	st->st_nlink = 1;
	return 0;
}

struct fill_ctx {
	void *buf;
	fuse_fill_dir_t filler;
};

static int fill_one(void *arg, const char *name, unsigned int mode)
{
	struct fill_ctx *c = arg;
	struct stat st = { .st_mode = mode };

	/* offset 0 everywhere: libfuse keeps the whole listing */
	return c->filler(c->buf, name, &st, 0, 0) ? -ENOMEM : 0;
}

/* The directory's cgroup, held while it is open (the paths may go). */
static int mfuse_opendir(const char *path, struct fuse_file_info *fi)
{
	struct mem_cgroup *memcg;
	int ret = memcg_lookup(mfuse_self()->e, path, &memcg);

	if (ret)
		return ret;
	fi->fh = (uintptr_t)memcg;
	return 0;
}

static int mfuse_releasedir(const char *path, struct fuse_file_info *fi)
{
	memcg_put((struct mem_cgroup *)(uintptr_t)fi->fh);
	return 0;
}

static int mfuse_readdir(const char *path, void *buf, fuse_fill_dir_t filler,
			 off_t off, struct fuse_file_info *fi,
			 enum fuse_readdir_flags flags)
{
	struct fill_ctx c = { .buf = buf, .filler = filler };
	int ret;

	ret = fill_one(&c, ".", MEMCG_S_IFDIR | 0755);
	if (!ret)
		ret = fill_one(&c, "..", MEMCG_S_IFDIR | 0755);
	if (!ret)
		ret = memcg_readdir((struct mem_cgroup *)(uintptr_t)fi->fh,
				    fill_one, &c);
	return ret == -ENODEV ? 0 : ret;	/* removed: "." and ".." only */
}

/* cgroup_mkdir(): the mode is not kept, a cgroup is always 0755 here */
static int mfuse_mkdir(const char *path, mode_t mode)
{
	return memcg_mkdir(mfuse_self()->e, path, NULL);
}

static int mfuse_rmdir(const char *path)
{
	return memcg_rmdir(mfuse_self()->e, path);
}

/* A directory without ->unlink, ->mknod, ->symlink or ->link: EPERM. */
static int mfuse_unlink(const char *path)
{
	return -EPERM;
}

static int mfuse_mknod(const char *path, mode_t mode, dev_t dev)
{
	return -EPERM;
}

static int mfuse_symlink(const char *target, const char *path)
{
	return -EPERM;
}

static int mfuse_link(const char *from, const char *to)
{
	return -EPERM;
}

/*
 * cgroup v2 has no rename (kernfs: EPERM); v1 renames a cgroup within its
 * parent, which the engine does not model: EPERM there too.
 */
static int mfuse_rename(const char *from, const char *to, unsigned int flags)
{
	return -EPERM;
}

/* open(O_CREAT) of a new name: a directory without ->create, EACCES */
static int mfuse_create(const char *path, mode_t mode,
			struct fuse_file_info *fi)
{
	return -EACCES;
}

/* kernfs ignores a size change: O_TRUNC before "echo 5 >" is harmless */
static int mfuse_truncate(const char *path, off_t size,
			  struct fuse_file_info *fi)
{
	return 0;
}

/* touch(1) works, as on kernfs; the times stay the mount's */
static int mfuse_utimens(const char *path, const struct timespec tv[2],
			 struct fuse_file_info *fi)
{
	return 0;
}

static void *mfuse_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	/* the tree changes under the kernel's feet: cache nothing */
	cfg->entry_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->attr_timeout = 0;
	/* sizes are 0, reads are snapshots: no page cache */
	cfg->direct_io = 1;
	cfg->hard_remove = 1;
	/* open files and directories are their handles, paths unused */
	cfg->nullpath_ok = 1;
	return mfuse_self();	/* private_data from now on */
}

const struct fuse_operations mfuse_ops = {
	.init = mfuse_init,
	.getattr = mfuse_getattr,
	.opendir = mfuse_opendir,
	.readdir = mfuse_readdir,
	.releasedir = mfuse_releasedir,
	.mkdir = mfuse_mkdir,
	.rmdir = mfuse_rmdir,
	.unlink = mfuse_unlink,
	.mknod = mfuse_mknod,
	.symlink = mfuse_symlink,
	.link = mfuse_link,
	.rename = mfuse_rename,
	.create = mfuse_create,
	.truncate = mfuse_truncate,
	.utimens = mfuse_utimens,
	.open = mfuse_open,
	.read = mfuse_read,
	.write = mfuse_write,
	.release = mfuse_release,
	.poll = mfuse_poll,
};
