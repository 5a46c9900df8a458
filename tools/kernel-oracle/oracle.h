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
 *   --memory SIZE --swap SIZE --cpus N --mode v1|v2
 *                          override the machine line (--policy and --seed
 *                          are accepted; they matter to the engine only)
 *   --timeout SECONDS      limit for the whole VM run (default 600)
 *   --cmd-timeout SECONDS  limit for one task action (default 120)
 *   --thp always|madvise|never
 *                          transparent huge pages (default: the kernel's,
 *                          "always" in Debian's)
 *   --accel kvm|tcg        default: KVM if it works here, else TCG
 *   --console              copy the VM's console to stderr
 *   --keep                 keep the run directory (logs, initramfs)
 * compare only:
 *   --tolerance PERCENT    how far shown numbers may differ (default 5)
 *
 * The VM: Debian's linux-image-amd64, memory = the machine's memory plus
 * 256M for the kernel itself (the scenario's limits are what matter), swap
 * on zram of the machine's swap size, cgroup2 mounted plainly (no
 * nsdelegate or memory_recursiveprot). Packages are installed on first
 * use (tools/kernel-oracle/prepare.sh).
 *
 * Exit status: 0 every expect held (kernel) / engine and kernel agree
 * (compare), 1 an expect failed / they differ, 2 malformed scenario or bad
 * usage, 3 the oracle failed (VM did not boot, timed out, engine crashed).
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
