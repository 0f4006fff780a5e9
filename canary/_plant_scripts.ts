// In-container scripts of the planter. They are constants: every untrusted
// value (path, login, mode, time) reaches them only as a positional
// parameter, always quoted, so nothing an operator or persona supplies is
// ever parsed as shell code. They need only POSIX sh and coreutils/busybox.

// $1 path (absolute, or ~/ under the persona's home), $2 persona login (may be empty).
// Sets target, and uid/gid when the file should be chowned: the persona's
// user when it exists. A ~/ path needs that user: bait in the home of
// someone who is nobody's persona (or in root's) is a tell, so it fails.
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
    [ -n "$uid" ] || fail "no such user on this machine: $login"
    case $home in
      /*) ;;
      *) fail "home directory is not absolute: $home" ;;
    esac
    [ -d "$home" ] || fail "home directory does not exist: $home"
    rest=\${target#"~/"}
    target=\${home%/}/$rest
    ;;
esac
`;

// stamp $1 ("YYYY-MM-DD hh:mm:ss.nnnnnnnnn", TZ=UTC) on path $2. GNU touch
// takes the fraction; busybox touch rejects it, so whole seconds there.
const STAMP = `
stamp() {
  touch -d "$1" "$2" 2>/dev/null || touch -d "\${1%.*}" "$2"
}
# A directory's mtime after a real write: that of its newest entry.
settle() {
  newest=$(ls -At "$1" | head -n 1)
  if [ -n "$newest" ]; then touch -r "$1/$newest" "$1"; fi
}
`;

/**
 * Plants stdin at $1: parents created (mode $5, owned like the file), written
 * to a temporary file beside the target, mode $3, owner, mtime $4
 * (`YYYY-MM-DD hh:mm:ss.nnnnnnnnn`, run with TZ=UTC), then moved into place.
 * Every directory it touched (those it created and the existing one that got
 * the new entry) ends with the mtime of its newest entry, as a real write
 * would leave it. Prints the resolved path, then the directory that existed
 * before (the highest one touched).
 */
export const PLANT_SCRIPT: string = RESOLVE + STAMP + `
mode=$3
when=$4
dirmode=$5
[ -d "$target" ] && fail "a directory is in the way: $target"
dir=$(dirname "$target")
top=""
d=$dir
while [ ! -e "$d" ]; do top=$d; d=$(dirname "$d"); done
[ -d "$d" ] || fail "not a directory: $d"
existing=$d
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
stamp "$when" "$tmp" || fail "cannot set the time of $target"
mv -f "$tmp" "$target" || fail "cannot move the file into place: $target"
trap - EXIT
d=$dir
while :; do
  settle "$d"
  [ "$d" = "$existing" ] && break
  d=$(dirname "$d")
done
printf '%s\\n%s\\n' "$target" "$existing"
`;

/**
 * Plants a set of small files in one exec: $1 is their root directory
 * (resolved as for planting, e.g. `~/src/app`), $2 the login, $3 the
 * directory mode, $4 an absolute ancestor of the root up to which
 * directories are settled too (the highest one a plant just before touched;
 * "" for none), then groups of four: path relative to the root, octal
 * mode, mtime (as for PLANT_SCRIPT), base64 bytes. Directories are created
 * owned like the files; every directory touched ends with its newest
 * entry's mtime. Prints the root.
 */
export const PLANT_TREE_SCRIPT: string = RESOLVE + STAMP + `
dirmode=$3
upto=$4
shift 4
base=$target
d=$base
while [ ! -e "$d" ]; do d=$(dirname "$d"); done
[ -d "$d" ] || fail "not a directory: $d"
existing=$d
touched=""
while [ "$#" -ge 4 ]; do
  rel=$1; mode=$2; when=$3; data=$4
  shift 4
  case /$rel/ in */../*|*/./*|//*) fail "not a relative path: $rel" ;; esac
  file=$base/$rel
  dir=$(dirname "$file")
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir" || fail "cannot create directory: $dir"
  fi
  tmp=$(mktemp "$dir/.tmp.XXXXXX") || fail "cannot create a file in $dir"
  printf '%s' "$data" | base64 -d > "$tmp" || { rm -f "$tmp"; fail "cannot write $file"; }
  chmod "$mode" "$tmp" && { [ -z "$uid" ] || chown "$uid:$gid" "$tmp"; } &&
    stamp "$when" "$tmp" && mv -f "$tmp" "$file" || { rm -f "$tmp"; fail "cannot place $file"; }
  touched="$touched
$dir"
done
# Directories from the deepest up, each once: own them, then settle their mtimes.
printf '%s\\n' "$touched" | while IFS= read -r d; do
  while [ -n "$d" ] && [ "$d" != "$existing" ] && [ "$d" != / ]; do
    printf '%s\\n' "$d"; d=$(dirname "$d")
  done
done | sort -u | awk '{ print length($0) " " $0 }' | sort -rn | cut -d' ' -f2- |
while IFS= read -r d; do
  chmod "$dirmode" "$d" && { [ -z "$uid" ] || chown "$uid:$gid" "$d"; } && settle "$d" || exit 1
done || fail "cannot set up the directories under $base"
d=$existing
while :; do
  settle "$d"
  [ -n "$upto" ] || break
  case $d in "$upto"|/) break ;; esac
  case $d/ in "$upto"/*) d=$(dirname "$d") ;; *) break ;; esac
done
printf '%s\\n' "$base"
`;

/** Removes the file at $1 (resolved as for planting); a missing file is fine. */
export const REMOVE_SCRIPT: string = RESOLVE + `
[ -d "$target" ] && fail "a directory is in the way: $target"
rm -f "$target" || fail "cannot remove $target"
printf '%s\\n' "$target"
`;

/**
 * Makes names resolve on the decky: pairs of $1 address, $2 host name, each
 * appended to /etc/hosts unless the name is already there.
 */
export const HOSTS_SCRIPT: string = `
set -u -f
fail() { printf '%s\\n' "$*" >&2; exit 1; }
while [ "$#" -ge 2 ]; do
  ip=$1; name=$2; shift 2
  found=""
  while read -r _ names || [ -n "\${names:-}" ]; do
    for n in $names; do [ "$n" = "$name" ] && found=1; done
  done < /etc/hosts
  [ -n "$found" ] || printf '%s\\t%s\\n' "$ip" "$name" >> /etc/hosts || fail "cannot add $name to /etc/hosts"
done
`;
