/* SPDX-License-Identifier: MIT */
/*
 * errno values by name ("ENOENT"), for the memcg tool's output: the
 * engine and the kernel oracle print the same names. Thread-safe.
 */
#ifndef MEMCG_TOOL_ERRNAME_H
#define MEMCG_TOOL_ERRNAME_H

#ifdef __cplusplus
extern "C" {
#endif

/**
 * errname - the symbolic name of an errno value
 * @err: an errno value, positive or negative
 *
 * Return: "EINVAL", "ENOMEM", ...; "E<n>" for a value not in the table
 * (in a thread-local buffer, valid until the next call on the thread).
 */
const char *errname(int err);

#ifdef __cplusplus
}
#endif
#endif /* MEMCG_TOOL_ERRNAME_H */
