/* SPDX-License-Identifier: MIT */
/*
 * errno values by name ("ENOENT"), for the memcg tool's output: the
 * engine and the kernel oracle print the same names, and back
 * ("expect write ... fails EINVAL"). Thread-safe.
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

/**
 * errname_parse - the errno value of a symbolic name
 * @name: "EINVAL", "ENOENT", ...; or "E<n>" as errname() prints a value
 *        without a name
 *
 * Return: the errno value (positive), or 0 for a name not known here.
 */
int errname_parse(const char *name);

#ifdef __cplusplus
}
#endif
#endif /* MEMCG_TOOL_ERRNAME_H */
