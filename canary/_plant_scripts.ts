// In-container scripts of the planter. They are constants: every untrusted
// value (path, login, mode, time) reaches them only as a positional
// parameter, always quoted, so nothing an operator or persona supplies is
// ever parsed as shell code. They need only POSIX sh and coreutils/busybox.

// $1 path (absolute, or ~/ under the persona's home), $2 persona login (may be empty).
// Sets target, and uid/gid when the file should be chowned: the persona's
// user when it exists; for a ~/ path without that user, the first regular
// user (uid 1000-59999) with a home directory, else root.
const RESOLVE = `
set -u
fail() { printf '%s\\n' "$*" >&2; exit 1; }
target=$1
login=$2
uid=""
gid=""
home=""
if [ -n "$login" ]; then
  while IFS=: read -r n _ u g _ h _ || [ -n "$n" ]; do
    if [ "$n" = "$login" ]; then uid=$u; gid=$g; home=$h; break; fi
  done < /etc/passwd
fi
case $target in
  "~/"*)
    if [ -z "$uid" ]; then
      while IFS=: read -r n _ u g _ h _ || [ -n "$n" ]; do
        if [ "$u" -ge 1000 ] 2>/dev/null && [ "$u" -lt 60000 ] && [ -d "$h" ]; then
          uid=$u; gid=$g; home=$h; break
        fi
      done < /etc/passwd
    fi
    if [ -z "$uid" ]; then uid=0; gid=0; home=/root; fi
    case $home in
      /*) ;;
      *) fail "home directory is not absolute: $home" ;;
    esac
    rest=\${target#"~/"}
    target=\${home%/}/$rest
    ;;
esac
`;

/**
 * Plants stdin at $1: parents created (mode $5, owned like the file, dated
 * $4), written to a temporary file beside the target, mode $3, owner, mtime
 * $4 (`YYYY-MM-DD hh:mm:ss`, run with TZ=UTC), then moved into place.
 * Prints the resolved path.
 */
export const PLANT_SCRIPT: string = RESOLVE + `
mode=$3
stamp=$4
dirmode=$5
[ -d "$target" ] && fail "a directory is in the way: $target"
dir=$(dirname "$target")
top=""
d=$dir
while [ ! -e "$d" ]; do top=$d; d=$(dirname "$d"); done
[ -d "$d" ] || fail "not a directory: $d"
if [ -n "$top" ]; then
  mkdir -p "$dir" || fail "cannot create directory: $dir"
  d=$dir
  while :; do
    chmod "$dirmode" "$d" || fail "cannot set mode of $d"
    if [ -n "$uid" ]; then chown "$uid:$gid" "$d" || fail "cannot set owner of $d"; fi
    [ "$d" = "$top" ] && break
    d=$(dirname "$d")
  done
fi
tmp=$(mktemp "$dir/.tmp.XXXXXX") || fail "cannot create a file in $dir"
trap 'rm -f "$tmp"' EXIT
cat > "$tmp" || fail "cannot write $target"
chmod "$mode" "$tmp" || fail "cannot set mode of $target"
if [ -n "$uid" ]; then chown "$uid:$gid" "$tmp" || fail "cannot set owner of $target"; fi
touch -d "$stamp" "$tmp" || fail "cannot set the time of $target"
mv -f "$tmp" "$target" || fail "cannot move the file into place: $target"
trap - EXIT
if [ -n "$top" ]; then
  d=$dir
  while :; do
    touch -d "$stamp" "$d"
    [ "$d" = "$top" ] && break
    d=$(dirname "$d")
  done
fi
printf '%s\\n' "$target"
`;

/** Removes the file at $1 (resolved as for planting); a missing file is fine. */
export const REMOVE_SCRIPT: string = RESOLVE + `
[ -d "$target" ] && fail "a directory is in the way: $target"
rm -f "$target" || fail "cannot remove $target"
printf '%s\\n' "$target"
`;
