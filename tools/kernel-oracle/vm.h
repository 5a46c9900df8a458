/* SPDX-License-Identifier: MIT */
/*
 * The VM's configuration that changes reclaim, as init.sh reads it inside
 * the VM and prints it on the "@@ORACLE-VM" line: blank-separated
 * key=value pairs (kernel, ram_mb, memtotal_kb, swap, swap_bytes, comp,
 * cpus, hz, lru_gen, thp). Printed with every kernel result, so that a
 * number can be reproduced:
 *
 *   # vm: kernel 6.1.0-57-amd64, 1280M RAM (MemTotal 1221M), swap zram
 *         512M (lzo-rle), 1 CPU, HZ 250, lru_gen 0x0000, thp always
 *
 * (one line), or in JSON Lines {"kind":"vm","boot":1,"kernel":...}.
 * Thread-safe (no state).
 */
#ifndef MEMCG_ORACLE_VM_H
#define MEMCG_ORACLE_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/**
 * vm_get - the value of @key in a "@@ORACLE-VM" line's pairs
 * @kv: the pairs
 * @key: the key
 * @buf: receives the value ("?" when missing)
 * @len: size of @buf
 *
 * Return: @buf.
 */
const char *vm_get(const char *kv, const char *key, char *buf, size_t len);

/**
 * vm_format - the text of a "# vm:" line, without "# vm: "
 * @kv: the pairs
 * @buf: receives it
 * @len: size of @buf
 */
void vm_format(const char *kv, char *buf, size_t len);

/**
 * vm_print - print the "# vm:" line (text) or the "vm" object (JSON)
 * @kv: the pairs (nothing is printed when empty)
 * @boot: 1-based boot number (JSON; text names boots after the first)
 * @json: JSON Lines
 * @out: where
 */
void vm_print(const char *kv, unsigned boot, bool json, FILE *out);

#endif /* MEMCG_ORACLE_VM_H */
