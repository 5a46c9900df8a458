// SPDX-License-Identifier: MIT
/* The engine's clock: see clock.h. */
#include <errno.h>
#include <time.h>

#include "core/clock.h"
#include "core/memcontrol.h"

static uint64_t real_now(void *priv)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void real_sleep(void *priv, uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / 1000000000ULL),
		.tv_nsec = (long)(ns % 1000000000ULL),
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static const struct memcg_clock_ops real_clock = {
	.now_ns = real_now,
	.sleep_ns = real_sleep,
};

uint64_t memcg_clock_now(struct memcg_engine *e)
{
	const struct memcg_clock_ops *ops = e->clock ? e->clock : &real_clock;

	return ops->now_ns(e->clock_priv);
}

void memcg_clock_sleep(struct memcg_engine *e, uint64_t ns)
{
	const struct memcg_clock_ops *ops = e->clock ? e->clock : &real_clock;

	if (ns)
		ops->sleep_ns(e->clock_priv, ns);
}

int memcg_set_clock(struct memcg_engine *e, const struct memcg_clock_ops *ops,
		    void *priv)
{
	if (!e || (ops && (!ops->now_ns || !ops->sleep_ns)))
		return -EINVAL;
	e->clock = ops;
	e->clock_priv = priv;
	return 0;
}

uint64_t memcg_clock_now_ns(struct memcg_engine *e)
{
	return memcg_clock_now(e);
}
