/* SPDX-License-Identifier: MIT */
/*
 * memcg mount DIR [SCENARIO]: the engine's cgroup tree as a FUSE file
 * system at DIR (libmemcg-fuse, memcg/fuse.h), empty or running a
 * scenario, until it is unmounted.
 *
 * With a scenario the mount shows its state while it runs, one command
 * at a time: the run prints what `memcg run` prints, and with --pause it
 * stops before each command until Enter on standard input or SIGUSR1.
 * After the last command (or a failed write that stops a strict run) the
 * tree stays mounted. SIGINT, SIGTERM and SIGHUP unmount and exit, at
 * any time (during a command: once it is over); so does an unmount from
 * outside (fusermount3 -u DIR), which also ends a run midway.
 *
 * Exit status: the run's (0 every expect held and every write succeeded
 * so far, 1 otherwise); 2 for bad usage, a malformed scenario, a machine
 * the engine does not model, or a mount point that does not exist, is
 * not a directory or is busy (one line on stderr; nothing is mounted).
 */
#ifndef MEMCG_TOOL_MOUNT_H
#define MEMCG_TOOL_MOUNT_H

/**
 * mount_main - memcg mount DIR [SCENARIO] [options]
 * @argc: argument count
 * @argv: arguments, argv[0] being "mount"
 *
 * Return: the exit status.
 */
int mount_main(int argc, char **argv);

#endif /* MEMCG_TOOL_MOUNT_H */
