/* SPDX-License-Identifier: MIT */
/*
 * The kernel oracle: run a scenario file on a real Linux kernel under
 * qemu ("memcg kernel") and next to the engine ("memcg compare").
 *
 *   memcg kernel FILE [options]    the kernel's lines, in the engine's format
 *   memcg compare FILE [options]   engine and kernel side by side
 *
 * options (both):
 *   --json                 JSON Lines output (kernel)
 *   --keep-going           run on after a failed write (engine and kernel;
 *                          by default each stops at the first one)
 *   --memory SIZE --swap SIZE --cpus N --mode v1|v2
 *                          override the machine line (--policy and --seed
 *                          are accepted; they matter to the engine only)
 *   --timeout SECONDS      limit for the whole VM run (default 600)
 *   --cmd-timeout SECONDS  limit for one task action (default 120)
 *   --thp always|madvise|never
 *                          write transparent_hugepage/enabled before the
 *                          scenario (default: the machine line's thp=,
 *                          "never" unless it says "always")
 *   --kernel 6.1|6.12      which Debian kernel boots (default: the machine
 *                          line's kernel=, else 6.1)
 *   --lru-gen y|0          write /sys/kernel/mm/lru_gen/enabled before the
 *                          scenario (default: y for reclaim=mglru, 0 for
 *                          reclaim=classic, else the kernel's: off on 6.1,
 *                          on on 6.12)
 *   --repeat N             N fresh boots (1-100); every shown and expected
 *                          value prints as "min / median / max" over them,
 *                          and an expect holds when it held on every boot
 *   --accel kvm|tcg        default: KVM if it works here, else TCG
 *   --console              copy the VM's console to stderr
 *   --keep                 keep the run directory (logs, initramfs)
 *   --paths                print where the player, prepare.sh, init.sh
 *                          and the cache are (host.h) and run nothing:
 *                          exit 0, or 3 when one is missing
 * compare only:
 *   --tolerance PERCENT    how far shown numbers may differ (default 5);
 *                          with --repeat, how far outside the kernel's
 *                          min..max range
 *   --tap                  KTAP: a test point per expect row (ok when
 *                          both sides agree), per other row marked '!'
 *                          and per failed write; every row as a "# "
 *                          diagnostic
 *
 * --kernel, --lru-gen and --thp select the kernel side only: the engine
 * follows the scenario's machine line (kernel=, reclaim=, thp=).
 *
 * Every kernel result starts with the VM's configuration that changes
 * reclaim, read inside the VM (vm.h):
 *   # vm: kernel 6.1.0-57-amd64, 1280M RAM (MemTotal 1210M), swap zram
 *         512M (lzo-rle), 2 CPUs, HZ 250, lru_gen 0x0000, thp always
 * (one line; {"kind":"vm",...} with --json).
 *
 * The VM: Debian's linux-image-amd64 (6.1) or its 6.12 backport
 * linux-image-6.12.118+deb12-amd64-unsigned, memory = the machine's memory plus
 * 256M for the kernel itself (the scenario's limits are what matter), swap
 * on zram of the machine's swap size, cgroup2 mounted plainly (no
 * nsdelegate or memory_recursiveprot). Packages are installed on first
 * use (tools/kernel-oracle/prepare.sh).
 *
 * A plain write that fails is an error of the run on the kernel as on the
 * engine (tools/memcg/run.h): the player stops there (unless
 * --keep-going) and the host says "memcg kernel: FILE:LINE: write ...:
 * EINVAL (Invalid argument)" on stderr.
 *
 * Exit status: 0 every expect held (on every boot) and every write
 * succeeded (kernel) / engine and kernel agree and no write failed on
 * either (compare), 1 an expect or a write failed / they differ or a
 * write failed, 2 malformed scenario, bad usage, or a machine the engine
 * does not model (compare: reclaim=mglru without kernel=6.12), 3 the
 * oracle failed (no player, VM did not boot, timed out, engine crashed).
 */
#ifndef MEMCG_ORACLE_H
#define MEMCG_ORACLE_H

#ifdef __cplusplus
extern "C" {
#endif

/**
 * oracle_kernel_main - "memcg kernel"
 * @argc: arguments, @argv[0] being "kernel"
 * @argv: FILE and options
 *
 * Return: the exit status.
 */
int oracle_kernel_main(int argc, char **argv);

/**
 * oracle_compare_main - "memcg compare"
 * @argc: arguments, @argv[0] being "compare"
 * @argv: FILE and options
 *
 * Return: the exit status.
 */
int oracle_compare_main(int argc, char **argv);

/* The same, by the names of the plan. */
int memcg_kernel_main(int argc, char **argv);
int memcg_compare_main(int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif /* MEMCG_ORACLE_H */
