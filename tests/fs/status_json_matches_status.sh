#!/usr/bin/env bash
# .pmemset/status.json parses with jq and holds the same facts as
# .pmemset/status: settings, maps (address, length, parts), parts (source,
# offset, length, map, address), counters and the last error (null, then
# time, line, command and reason), also for names and paths that need
# escaping in JSON.
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || fail "jq is missing (scripts/deps.sh installs it)"

make_source a.img $((1 * MiB))
make_source b.img $((2 * MiB))
mkdir "$SRC/odd\"dir\""
head -c $((64 * KiB)) /dev/urandom >"$SRC/odd\"dir\"/c.img"
cat >"$T/set" <<SET
reservation 8M
coalescing full
granularity page
part a $SRC/a.img
part b $SRC/b.img offset=1M length=1M
SET
mount_set "$T/set" -o persist=fsync
# quoted as ctl words are: a backslash or a quote in a bare word is syntax
ctl "part 'tab\\x' '$SRC/odd\"dir\"/c.img'"
ctl "part t temporary=$T length=64K"
ctl "coalescing none"
ctl "part a2 $SRC/a.img offset=512K length=256K"
head -c 4096 "$MNT/a" >/dev/null
printf 'hello' | dd of="$MNT/b" conv=notrunc status=none
model_write b.img $((1 * MiB)) <(printf 'hello')

# json FILTER: jq -r on one snapshot of status.json
json()
{
	jq -r "$1" "$T/status.json"
}
# text KEY: the value of "KEY: value" in the status snapshot
text()
{
	sed -n "s/^$1: //p" "$T/status"
}

snapshots()
{
	cat "$MNT/.pmemset/status.json" >"$T/status.json"
	cat "$MNT/.pmemset/status" >"$T/status"
	jq -e 'type == "object"' "$T/status.json" >/dev/null ||
		fail "status.json is not a JSON object: $(cat "$T/status.json")"
}
snapshots

note "the file's size is what a read returns"
assert_size "$MNT/.pmemset/status.json" "$(stat -c %s "$T/status.json")"

note "settings"
for key in granularity required_granularity coalescing persist reservation \
	cache write_cache log; do
	assert_eq "$(text "$key")" "$(json ".$key")" "status.json .$key"
done
assert_eq refuse "$(json .unlink)" "status.json .unlink"
assert_eq "$(text unlink)" "$(json .unlink)" "status.json .unlink"
assert_eq "$(text read_only | sed 's/yes/true/; s/no/false/')" \
	"$(json .read_only)" "status.json .read_only"

note "maps"
assert_eq "$(text maps)" "$(json '.maps | length')" "number of maps"
json '.maps[] | "map \(.index): address=\(.address) length=\(.length) parts=\(.parts | join(","))"' \
	>"$T/maps.json"
grep '^map [0-9]' "$T/status" >"$T/maps.text"
diff "$T/maps.text" "$T/maps.json" >&2 || fail "maps differ"
assert_eq 5 "$(json '[.maps[].parts[]] | length')" "parts listed in the maps"

note "parts, with a name and a path that need escaping"
assert_eq "$(text parts)" "$(json '.parts | length')" "number of parts"
json '.parts[] | "part \(.name): source=\(.source) offset=\(.offset) length=\(.length) map=\(.map) address=\(.address)"' \
	>"$T/parts.json"
grep '^part ' "$T/status" >"$T/parts.text"
diff "$T/parts.text" "$T/parts.json" >&2 || fail "parts differ"
assert_eq "$SRC/odd\"dir\"/c.img" "$(json '.parts[] | select(.name == "tab\\x") | .source')" \
	"the escaped path, read back"
assert_eq "true" "$(json '.parts[] | select(.name == "t") | .temporary')" \
	"a temporary part says so"
assert_eq "false" "$(json '.parts[] | select(.name == "a") | .temporary')" \
	"a file part is not temporary"

note "counters"
for key in bytes_read bytes_written persists; do
	assert_eq "$(text "$key")" "$(json ".$key")" "status.json .$key"
done
[ "$(json .bytes_read)" -ge 4096 ] || fail "bytes_read $(json .bytes_read) < 4096"
[ "$(json .bytes_written)" -ge 5 ] || fail "bytes_written $(json .bytes_written) < 5"

note "last_error: null, then time, line, command and reason"
assert_eq "none" "$(text last_error)" "status last_error before any error"
assert_eq "null" "$(json .last_error)" "status.json last_error before any error"
probe_expect ENOENT write "$MNT/.pmemset/ctl" $'unmap t\nunmap "quoted"\n'
snapshots
last=$(text last_error)
assert_eq "$last" "$(json '.last_error | "\(.time) line \(.line): \(.command): \(.reason)"')" \
	"last_error in status.json and status"
assert_eq "ctl 'unmap \"quoted\"'" "$(json .last_error.command)" "the command"
assert_eq 2 "$(json .last_error.line)" "the line"
[[ $(json .last_error.time) =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]] ||
	fail "time is not UTC ISO 8601: $(json .last_error.time)"
ctl_expect ENOENT "unmap once-more"
snapshots
assert_eq "null" "$(json .last_error.line)" "line of a single command"
assert_eq "no part named 'once-more'" "$(json .last_error.reason)" "its reason"

note "the README's jq examples (t went with line 1 of the script)"
J=$MNT/.pmemset/status.json
assert_eq "a b tab\\x a2" "$(jq -r '.parts[].name' "$J" | tr '\n' ' ' | sed 's/ $//')" \
	"names of the parts"
assert_eq "$SRC/b.img" "$(jq -r '.parts[] | select(.name == "b") | .source' "$J")" \
	"source of part b"
assert_eq "$(text maps)" "$(jq '.maps | length' "$J")" "number of maps"
assert_eq "a 1048576" "$(jq -r '.parts[] | "\(.name) \(.length)"' "$J" | sed -n 1p)" \
	"name and length"
jq -e '.last_error == null' "$J" >/dev/null && fail "jq -e says no error"
assert_eq "$(json .last_error.time) ctl 'unmap once-more': no part named 'once-more'" \
	"$(jq -r '.last_error | "\(.time) \(.command): \(.reason)"' "$J")" "last error"

unmount_set
assert_sources_match_model
