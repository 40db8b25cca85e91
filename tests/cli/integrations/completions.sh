# The bash, zsh and fish completions are generated from the option table:
# every long option of --help is in each, and each parses in its shell
# (zsh and fish only where installed); bash completes values too.
t=$(mktemp -d)
sh build-aux/completions.sh "$t" || exit 1
opts=$("$SC" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
echo "options in --help: $(echo "$opts" | wc -l | awk '$1 > 25 { print "many" }')"
for f in scram-check.bash _scram-check scram-check.fish; do
	missing=0
	for o in $opts; do
		case $f in
		*.fish) grep -q -- "-l ${o#--}\( \|\$\)" "$t/$f" ;;
		*) grep -q -- "$o[]=[ \"']" "$t/$f" ;;
		esac || { echo "$f lacks $o"; missing=$((missing + 1)); }
	done
	echo "$f: $missing missing"
done
bash -n "$t/scram-check.bash" && echo "bash: parses"
# "ok": parses, or the shell is not installed (said on stderr).
for sh in zsh fish; do
	f=$t/_scram-check
	[ $sh = fish ] && f=$t/scram-check.fish
	if command -v $sh >/dev/null; then
		$sh -n "$f" && echo "$sh: ok"
	else
		echo "$sh not installed: its completion not parsed" >&2
		echo "$sh: ok"
	fi
done
PATH=$(dirname "$SC"):$PATH bash -c '
	. "$1/scram-check.bash"
	COMP_WORDS=(scram-check --fail-o); COMP_CWORD=1; _scram_check; echo "bash: --fail-o -> ${COMPREPLY[*]}"
	COMP_WORDS=(scram-check --format s); COMP_CWORD=2; _scram_check; echo "bash: --format s -> ${COMPREPLY[*]}"
	COMP_WORDS=(scram-check --explain nan-l); COMP_CWORD=2; _scram_check; echo "bash: --explain nan-l -> ${COMPREPLY[*]}"
' _ "$t"
rm -rf "$t"
