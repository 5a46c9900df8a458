# SPDX-License-Identifier: MIT
# bash completion for memcg(1): commands, each command's options, the
# values of --mode, --policy, --kernel, --lru-gen, --thp and --accel, and
# scenario files (*.scn). Installed as
# <prefix>/share/bash-completion/completions/memcg; test_docs.sh checks
# that it offers exactly the options `memcg CMD --help` lists.

_memcg()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd=${COMP_WORDS[1]:-}
	local cmds="run tree plot kernel compare sweep mount help"
	local machine="--memory --swap --cpus --mode --policy"
	local engine="--seed --keep-going $machine --help"
	local oracle="--json --kernel --lru-gen --thp --repeat --timeout
		--cmd-timeout --accel --console --keep --paths --keep-going
		--seed --plot $machine --help"
	local opts

	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# "--mode=v<TAB>": bash splits at '=' (COMP_WORDBREAKS)
	if [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	if ((COMP_CWORD == 1)); then
		mapfile -t COMPREPLY < <(compgen -W "$cmds --help --version" -- "$cur")
		return
	fi
	case $prev in
	--mode)
		mapfile -t COMPREPLY < <(compgen -W "v1 v2" -- "$cur")
		return ;;
	--policy)
		mapfile -t COMPREPLY < <(compgen -W "reparent kernel" -- "$cur")
		return ;;
	--kernel)
		mapfile -t COMPREPLY < <(compgen -W "6.1 6.12" -- "$cur")
		return ;;
	--lru-gen)
		mapfile -t COMPREPLY < <(compgen -W "y 0" -- "$cur")
		return ;;
	--thp)
		mapfile -t COMPREPLY < <(compgen -W "always madvise never" -- "$cur")
		return ;;
	--accel)
		mapfile -t COMPREPLY < <(compgen -W "kvm tcg" -- "$cur")
		return ;;
	-o | --output | --plot)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return ;;
	--seed | --memory | --swap | --cpus | --repeat | --timeout | \
	--cmd-timeout | --tolerance | -j | --jobs | --shard | --set | --show)
		COMPREPLY=()	# a number or a size: nothing to offer
		return ;;
	esac
	case $cmd in
	run) opts="$engine --json --tap --show-tree --utf8 --top --plot" ;;
	tree) opts="$engine --json --utf8" ;;
	plot) opts="$engine -o --output" ;;
	kernel) opts="$oracle" ;;
	compare) opts="$oracle --tolerance --tap" ;;
	sweep) opts="--set --seed --show -j --jobs --plot --kernel --keep-going
		--shard --merge --help" ;;
	mount) opts="$engine --pause" ;;
	help)
		((COMP_CWORD == 2)) &&
			mapfile -t COMPREPLY < <(compgen -W "$cmds" -- "$cur")
		return ;;
	*)
		COMPREPLY=()
		return ;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		return
	fi
	# the scenario: *.scn files, and directories to reach them (and
	# mount's DIR)
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen -f -X '!*.scn' -- "$cur"; compgen -d -- "$cur")
}
complete -F _memcg memcg
