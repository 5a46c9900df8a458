/* SPDX-License-Identifier: MIT */
/*
 * The engine's clock: what memory.high throttling sleeps on and what PSI
 * measures stall time with. Real time (CLOCK_MONOTONIC, nanosleep) unless
 * a client installed its own with memcg_set_clock(): the simulator's
 * virtual clock, which a sleep advances instead of waiting.
 *
 * Locking: none; the ops are set before the engine is shared.
 */
#ifndef MEMCG_CORE_CLOCK_H
#define MEMCG_CORE_CLOCK_H

#include <stdint.h>

struct memcg_engine;

/**
 * memcg_clock_now - the engine's time in nanoseconds
 * @e: engine
 */
uint64_t memcg_clock_now(struct memcg_engine *e);

/**
 * memcg_clock_sleep - let @ns pass for the calling thread
 * @e: engine
 * @ns: nanoseconds
 */
void memcg_clock_sleep(struct memcg_engine *e, uint64_t ns);

#endif /* MEMCG_CORE_CLOCK_H */
