/* SPDX-License-Identifier: MIT */
/*
 * libmemcg: notifications on open control files, and pressure triggers.
 *
 * The kernel lets a program poll() an open cgroup file: memory.events,
 * memory.events.local and memory.swap.events wake it when they change,
 * and memory.pressure when a trigger written to it fires. Here an open
 * file (memcg_open()) hands out an eventfd that becomes readable instead.
 *
 * memory.pressure (cgroup v2, every cgroup and the root) reads as the
 * kernel's two lines:
 *
 *	some avg10=0.00 avg60=0.00 avg300=0.00 total=0
 *	full avg10=0.00 avg60=0.00 avg300=0.00 total=0
 *
 * stall time on the engine clock (memcg_set_clock()) in microseconds, and
 * its running averages over 10 s, 60 s and 300 s in percent. Writing
 * "some THRESHOLD WINDOW" or "full THRESHOLD WINDOW" (microseconds; the
 * window 500000..10000000, the threshold 1..window) to an open
 * memory.pressure with memcg_file_write() arms a trigger for that open
 * file: its pollfd becomes readable when the stall time grown within the
 * window reaches the threshold, at most once per window. Errors are the
 * kernel's: -EINVAL for malformed text or a range, -EBUSY for a second
 * trigger on the same open file, -ENODEV once the cgroup is removed.
 * Closing the file destroys the trigger (so memcg_write(), which opens
 * and closes, validates a trigger and keeps nothing).
 */
#ifndef MEMCG_NOTIFY_H
#define MEMCG_NOTIFY_H

#include "memcg/memcg.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * memcg_file_pollfd - a file descriptor that tells when @f changes
 * @f: an open memory.events, memory.events.local, memory.swap.events or
 *     memory.pressure (cgroup v2)
 *
 * The descriptor is an eventfd owned by @f: do not close it,
 * memcg_file_close() does. Each call returns the same one. It is
 * readable (POLLIN; the kernel reports POLLPRI) when:
 * - memory.events, memory.events.local, memory.swap.events: the file
 *   changed since @f last read it, as kernfs tells (so, as in the kernel,
 *   a file never read is ready at once: read it, then poll). A change is
 *   an event counted in the file (in memory.events of every ancestor
 *   counting it too), signalled at most once per 10 ms of engine clock per
 *   file; a change held back by that limit is signalled at the next
 *   change, read or call of this function after the 10 ms, never lost;
 * - memory.pressure: the trigger written to @f fires. Trigger checks run
 *   when the cgroup's stall state changes, when memory.pressure is read,
 *   and in this function, so an event due in the middle of a long stall
 *   is signalled when the stall ends (or at such a read).
 * memcg_file_read() of @f drains it (re-arms). A memory.pressure trigger's
 * event may also be consumed with read(2) of 8 bytes, as poll() consumes
 * it in the kernel; memory.pressure without a trigger stays quiet (the
 * kernel's poll() reports POLLERR at once).
 *
 * Return: the descriptor, -EINVAL for a file that never notifies (or
 * NULL), -ENODEV once the cgroup is removed, -ENOMEM, or eventfd()'s
 * -EMFILE / -ENFILE.
 */
MEMCG_API int memcg_file_pollfd(struct memcg_file *f);

#ifdef __cplusplus
}
#endif
#endif /* MEMCG_NOTIFY_H */
