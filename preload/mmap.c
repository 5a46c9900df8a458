// SPDX-License-Identifier: MIT
/*
 * mmap, munmap and mremap, by system call. A private, anonymous, writable
 * mapping (not MAP_NORESERVE, not huge pages) is charged whole, its length
 * rounded up to pages, before it is made: the shim cannot see page faults,
 * so it charges as if the mapping were populated. PROT_NONE reservations,
 * file and shared mappings are not charged. Every way a charged range
 * goes away (munmap, a MAP_FIXED mapping over it, mremap) uncharges it
 * (maps.c); mremap keeps a range's cgroup and charges or uncharges the
 * change of size. mprotect and madvise change nothing.
 */
#include <errno.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"

static size_t page_align(size_t len)
{
	return (len + PRELOAD_PAGE - 1) & ~(size_t)(PRELOAD_PAGE - 1);
}

static bool charged_mapping(int prot, int flags)
{
	return (flags & MAP_ANONYMOUS) && (flags & MAP_TYPE) == MAP_PRIVATE &&
	       (prot & PROT_WRITE) && !(flags & (MAP_NORESERVE | MAP_HUGETLB));
}

static void *sys_mmap(void *addr, size_t len, int prot, int flags, int fd,
		      off_t off)
{
	return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

/* A mapping over [addr, addr + len) replaced whatever charged ranges were
 * there (MAP_FIXED); record the new one if charged to @slot. */
static void *mmap_fixed(void *addr, size_t len, int prot, int flags, int fd,
			off_t off, unsigned slot)
{
	struct preload_unmapped gone = { 0 };
	int err;
	void *ret;

	preload_maps_lock();
	ret = sys_mmap(addr, len, prot, flags, fd, off);
	err = errno;
	if (ret != MAP_FAILED) {
		preload_maps_remove((uintptr_t)ret, (uintptr_t)ret + page_align(len),
				    &gone);
		if (slot && preload_maps_insert((uintptr_t)ret,
						(uintptr_t)ret + page_align(len),
						slot))
			preload_unmapped_add(&gone, slot, page_align(len));
	} else if (slot) {
		preload_unmapped_add(&gone, slot, page_align(len));	/* refund */
	}
	preload_maps_unlock();
	preload_unmapped_apply(&gone);
	errno = err;
	return ret;
}

static void *mmap_charged(void *addr, size_t len, int prot, int flags, int fd,
			  off_t off)
{
	size_t bytes = page_align(len);
	int slot, err;
	void *ret;

	if (!bytes || bytes < len)
		return sys_mmap(addr, len, prot, flags, fd, off);	/* EINVAL */
	slot = preload_charge(bytes);
	if (slot < 0) {
		preload_oom(len);
		errno = ENOMEM;
		return MAP_FAILED;
	}
	if (flags & MAP_FIXED)
		return mmap_fixed(addr, len, prot, flags, fd, off, (unsigned)slot);
	ret = sys_mmap(addr, len, prot, flags, fd, off);
	if (ret == MAP_FAILED) {
		err = errno;
		preload_uncharge((unsigned)slot, bytes);
		errno = err;
		return ret;
	}
	if (slot) {
		preload_maps_lock();
		err = preload_maps_insert((uintptr_t)ret, (uintptr_t)ret + bytes,
					  (unsigned)slot);
		preload_maps_unlock();
		if (err)
			preload_uncharge((unsigned)slot, bytes);
	}
	return ret;
}

PRELOAD_EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd,
			  off_t off)
{
	if (charged_mapping(prot, flags) && !preload_tls.depth)
		return mmap_charged(addr, len, prot, flags, fd, off);
	if ((flags & MAP_FIXED) && !preload_maps_empty())
		return mmap_fixed(addr, len, prot, flags, fd, off, 0);
	return sys_mmap(addr, len, prot, flags, fd, off);
}

PRELOAD_EXPORT void *mmap64(void *addr, size_t len, int prot, int flags,
			    int fd, off_t off)
	__attribute__((alias("mmap")));

PRELOAD_EXPORT int munmap(void *addr, size_t len)
{
	struct preload_unmapped gone = { 0 };
	int ret;

	if (preload_maps_empty() || preload_tls.depth)
		return (int)syscall(SYS_munmap, addr, len);
	preload_maps_lock();
	ret = (int)syscall(SYS_munmap, addr, len);
	if (!ret)
		preload_maps_remove((uintptr_t)addr,
				    (uintptr_t)addr + page_align(len), &gone);
	preload_maps_unlock();
	preload_unmapped_apply(&gone);
	return ret;
}

/* Charge @bytes to @slot: through the thread's budget if it is its own. */
static int charge_to(unsigned slot, size_t bytes)
{
	if (preload_charge_slot(&preload_tls) == slot)
		return preload_charge(bytes) < 0 ? -ENOMEM : 0;
	return preload_pool_charge(slot, bytes, false);
}

/*
 * A range charged to @slot: its growth is charged first (a failure leaves
 * it as it was). After the move, the old range and whatever a
 * MREMAP_FIXED target replaced leave the table, the new range enters it
 * with the old one's cgroup, which gives back what it no longer needs:
 * old + growth - new, nothing when it grew.
 */
static void *mremap_charged(void *old, size_t old_len, size_t new_len,
			    int flags, void *new_addr, unsigned slot)
{
	struct preload_unmapped gone = { 0 };
	size_t old_bytes = page_align(old_len), new_bytes = page_align(new_len);
	size_t grow = new_bytes > old_bytes ? new_bytes - old_bytes : 0;
	unsigned i;
	int err;
	void *ret;

	if (grow && charge_to(slot, grow)) {
		preload_oom(new_len - old_len);
		errno = ENOMEM;
		return MAP_FAILED;
	}
	preload_maps_lock();
	ret = (void *)syscall(SYS_mremap, old, old_len, new_len, flags, new_addr);
	err = errno;
	preload_unmapped_add(&gone, slot, grow);	/* first: never spilled */
	if (ret != MAP_FAILED) {
		preload_maps_remove((uintptr_t)old, (uintptr_t)old + old_bytes,
				    &gone);
		preload_maps_remove((uintptr_t)ret, (uintptr_t)ret + new_bytes,
				    &gone);
		if (preload_maps_insert((uintptr_t)ret, (uintptr_t)ret + new_bytes,
					slot))
			preload_unmapped_add(&gone, slot, new_bytes);
		for (i = 0; i < gone.nr; i++)
			if (gone.e[i].slot == slot)
				gone.e[i].bytes -= new_bytes;
	}
	preload_maps_unlock();
	preload_unmapped_apply(&gone);
	errno = err;
	return ret;
}

PRELOAD_EXPORT void *mremap(void *old, size_t old_len, size_t new_len,
			    int flags, ...)
{
	struct preload_unmapped gone = { 0 };
	void *new_addr = NULL, *ret;
	unsigned slot = 0;
	va_list ap;

	if (flags & MREMAP_FIXED) {
		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	if (preload_maps_empty() || preload_tls.depth)
		return (void *)syscall(SYS_mremap, old, old_len, new_len, flags,
				       new_addr);
	preload_maps_lock();
	if (!(flags & MREMAP_DONTUNMAP))
		slot = preload_maps_owner((uintptr_t)old,
					  (uintptr_t)old + page_align(old_len));
	preload_maps_unlock();
	if (slot)
		return mremap_charged(old, old_len, new_len, flags, new_addr, slot);
	/* not (all) charged: whatever was charged there goes */
	preload_maps_lock();
	ret = (void *)syscall(SYS_mremap, old, old_len, new_len, flags, new_addr);
	if (ret != MAP_FAILED && !(flags & MREMAP_DONTUNMAP))
		preload_maps_remove((uintptr_t)old,
				    (uintptr_t)old + page_align(old_len), &gone);
	if (ret != MAP_FAILED)
		preload_maps_remove((uintptr_t)ret,
				    (uintptr_t)ret + page_align(new_len), &gone);
	preload_maps_unlock();
	preload_unmapped_apply(&gone);
	return ret;
}
