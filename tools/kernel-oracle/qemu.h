/* SPDX-License-Identifier: MIT */
/*
 * Booting the oracle's VM: qemu-system-x86_64 with the Debian kernel and
 * a run's initramfs, the console on the first serial port and the
 * player's output on the second (each a file in the run directory), with
 * a timeout. The player's lines are handed over as they arrive.
 *
 * KVM is used when /dev/kvm works: a probe boot (init powers off at once)
 * decides, once per kernel, and the answer is cached. Nested setups often
 * have a /dev/kvm that opens but cannot run a guest. MEMCG_ORACLE_ACCEL
 * (kvm or tcg) skips the probe. Not thread-safe.
 */
#ifndef MEMCG_ORACLE_QEMU_H
#define MEMCG_ORACLE_QEMU_H

#include <stdbool.h>
#include <stdint.h>

#include "host.h"

/**
 * struct qemu_opts - one boot
 * @accel: "kvm" or "tcg"
 * @ram_bytes: the VM's memory
 * @cpus: its CPUs
 * @timeout_s: the whole boot's time limit
 * @console: copy the VM's console to stderr as it comes
 */
struct qemu_opts {
	const char *accel;
	uint64_t ram_bytes;
	unsigned cpus;
	unsigned timeout_s;
	bool console;
};

/**
 * struct qemu_result - how a boot went
 * @began: the player started ("@@ORACLE-BEGIN")
 * @ended: it finished ("@@ORACLE-END")
 * @probe: init printed "@@ORACLE-PROBE"
 * @rc: the player's exit status (with @ended)
 * @timed_out: the time limit killed qemu
 * @kver: the kernel release the VM reported
 * @vm: init's "@@ORACLE-VM" pairs: the VM's configuration (vm.h)
 * @error: init's "@@ORACLE-ERROR" message, or qemu's failure
 * @seconds: wall time of the boot
 */
struct qemu_result {
	bool began;
	bool ended;
	bool probe;
	int rc;
	bool timed_out;
	char kver[128];
	char vm[512];
	char error[2048];
	double seconds;
};

/* Called for each line of the player's output (no newline). */
typedef void (*qemu_line_fn)(const char *line, void *arg);

/**
 * qemu_run - boot the VM and collect the player's lines
 * @h: host
 * @initrd: the run's initramfs
 * @rundir: directory for console.log, output.log and qemu.log
 * @o: options
 * @fn: called for each output line between the markers
 * @arg: for @fn
 * @res: the result
 *
 * Return: 0 if qemu ran (see @res for how far the player got), or -1 if
 * it could not be started (@res->error says why).
 */
int qemu_run(const struct oracle_host *h, const char *initrd,
	     const char *rundir, const struct qemu_opts *o, qemu_line_fn fn,
	     void *arg, struct qemu_result *res);

/**
 * qemu_accel - "kvm" if KVM works here, else "tcg"
 * @h: host
 * @base: the base initramfs (for the probe boot)
 * @rundir: a scratch directory for the probe
 *
 * Return: a static string.
 */
const char *qemu_accel(const struct oracle_host *h, const char *base,
		       const char *rundir);

/**
 * qemu_print_console_tail - print the last @lines lines of qemu's own
 * messages and of the VM's console to stderr (after a failure)
 */
void qemu_print_console_tail(const char *rundir, int lines);

#endif /* MEMCG_ORACLE_QEMU_H */
