// SPDX-License-Identifier: MIT
/*
 * The public API fuzzer (fuzz_api.c): misuse, which must be refused and
 * change nothing, or abort where the kernel would crash.
 */
#include "fuzz_api.h"

/* B's folio and cgroup at A's entry points: -EINVAL, nothing changes. */
void op_foreign(struct world *w)
{
	struct mem_cgroup *owner = memcg_folio_memcg(w->b, w->b_folio);
	int i = any_folio(w), ret = -EINVAL;
	memcg_swp_entry_t entry = { 1 };
	struct memcg_task *t;
	struct folio *f = i >= 0 ? w->folio[i] : NULL;

	switch (pick(w, 14)) {
	case 0:
		ret = memcg_charge(w->a, w->b_folio, any_cg(w), 0);
		break;
	case 1:
		ret = f ? memcg_charge(w->a, f, w->b_cg, 0) : -EINVAL;
		break;
	case 2:
		ret = f ? memcg_migrate(w->a, w->b_folio, f) : -EINVAL;
		break;
	case 3:
		ret = f ? memcg_migrate(w->a, f, w->b_folio) : -EINVAL;
		break;
	case 4:
		ret = f ? memcg_replace_folio(w->a, f, w->b_folio) : -EINVAL;
		break;
	case 5:
		ret = memcg_split_folio(w->a, w->b_folio, NULL);
		break;
	case 6:
		ret = f ? memcg_move_account(w->a, f, w->b_cg) :
			  memcg_move_account(w->a, w->b_folio, any_cg(w));
		break;
	case 7:
		ret = memcg_swap_out(w->a, w->b_folio, &entry);
		break;
	case 8:
		ret = memcg_folio_free_swap(w->a, w->b_folio, entry);
		break;
	case 9:
		ret = memcg_kmem_uncharge_page(w->a, w->b_folio);
		break;
	case 10:
		ret = memcg_task_create(w->a, "x", w->b_cg, &t);
		break;
	case 11:	/* a dead task is -ESRCH whatever the cgroup */
		if (w->nr_task)
			ret = memcg_task_move(w->task[0], w->b_cg);
		if (w->nr_task && !memcg_task_alive(w->task[0]) &&
		    ret == -ESRCH)
			ret = -EINVAL;
		break;
	case 12:	/* reported on stderr, left alone */
		memcg_folio_put(w->a, w->b_folio);
		memcg_folio_get(w->a, w->b_folio);
		break;
	default:
		memcg_put(NULL);
		memcg_folio_put(w->a, NULL);
		memcg_objcg_put(NULL);
		memcg_sock_free(NULL);
		memcg_file_close(NULL);
		break;
	}
	CHECK(ret == -EINVAL);
	CHECK(folio_ref_count(w->b_folio) == 1);
	CHECK(memcg_folio_memcg(w->b, w->b_folio) == owner);
}

/* Sizes near 2^64 where engines and swap devices are made. */
void op_huge_sizes(struct world *w)
{
	struct memcg_engine *e = NULL;
	struct memcg_config cfg;
	size_t bytes = SIZE_MAX - (size_t)pick(w, 64) * 4096 - pick(w, 4096);

	memcg_config_init(&cfg);
	cfg.memory_bytes = bytes;
	cfg.dataless = true;
	cfg.deterministic = true;
	CHECK(memcg_engine_create(&cfg, &e) != 0);
	CHECK(memcg_swapon(w->b, NULL, bytes) != 0);
	CHECK(memcg_swap_nr_free(w->b) == -ENODEV);
}

/*
 * A cgroup put once too often, in a child: the engine aborts, naming the
 * cgroup, at the put when the cgroup is offline (while the memory is still
 * there to read), or at its rmdir.
 */
void op_double_put(struct world *w)
{
	bool after_rmdir = byte(w) & 1;
	char msg[4096];
	int fds[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (w->forked || pipe(fds))
		return;
	w->forked = true;
	fflush(NULL);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		struct memcg_engine *e;
		struct mem_cgroup *cg;

		signal(SIGABRT, SIG_DFL);
		dup2(fds[1], 2);
		if (memcg_engine_create(NULL, &e) ||
		    memcg_mkdir(e, "victim", &cg))
			_exit(3);
		if (after_rmdir) {
			/*
			 * The first put frees the cgroup after a grace
			 * period; a put after the free is a use after free
			 * that nothing can catch. Reading as an RCU reader
			 * keeps the memory, so the second put is caught.
			 */
			memcg_rmdir(e, "victim");
			rcu_read_lock();
			memcg_put(cg);
			memcg_put(cg);
			rcu_read_unlock();
		} else {
			memcg_put(cg);
			memcg_put(cg);
			memcg_rmdir(e, "victim");
		}
		_exit(0);
	}
	close(fds[1]);
	/* libFuzzer's timer (SIGALRM) interrupts the reads and the wait */
	while (len < sizeof(msg) - 1) {
		n = read(fds[0], msg + len, sizeof(msg) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	msg[len] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		CHECK(errno == EINTR);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT ||
	    !strstr(msg, "victim")) {
		fprintf(stderr, "fuzz_api: double put (%s rmdir): status %#x, "
			"message '%s'\n", after_rmdir ? "after" : "before",
			status, msg);
		abort();
	}
}
