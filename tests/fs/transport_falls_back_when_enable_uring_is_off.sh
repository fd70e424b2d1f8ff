#!/usr/bin/env bash
# With /sys/module/fuse/parameters/enable_uring off the kernel offers no
# FUSE over io_uring: the default mount (-o transport=auto) serves requests
# from /dev/fuse and says why in its log, .pmemset/status and status.json;
# -o transport=uring refuses to start, naming the parameter and how to turn
# it on, with nothing mounted; -o transport=dev says it was asked for.
unset PMEMSETFS_TEST_TRANSPORT # this test chooses its transports itself
. "$(dirname "$0")/lib.sh"

param=$(cat "$ENABLE_URING" 2>/dev/null || echo missing)
case $param in
N) reason="enable_uring is off" ;;
missing) reason="this kernel has no FUSE over io_uring" ;;
*)
	echo "SKIP: $TEST_NAME needs $ENABLE_URING off (it is $param)" >&2
	exit 77
	;;
esac

make_source a.img $MiB
printf 'part a %s\n' "$SRC/a.img" >"$T/set"

note "auto: falls back to /dev/fuse and says why"
mount_set "$T/set"
line=$(grep '^transport:' "$MNT/.pmemset/status") ||
	fail "status has no transport line: $(cat "$MNT/.pmemset/status")"
assert_eq "transport: dev ($reason)" "$line" "status transport line"
assert_eq dev "$(jq -r .transport "$MNT/.pmemset/status.json")" \
	"status.json transport"
assert_eq "$reason" "$(jq -r .transport_reason "$MNT/.pmemset/status.json")" \
	"status.json transport_reason"
wait_until 5 grep -qxF "pmemsetfs: transport: dev ($reason)" "$T/daemon.log" ||
	fail "the fallback's reason is not in the log: $(cat "$T/daemon.log")"
make_data "$T/data" 4096
dd_write "$MNT/a" 12288 "$T/data"
model_write a.img 12288 "$T/data"
part_matches_model a a.img 0 $MiB
unmount_set

note "uring: no mount, and a message that says what to do"
rc=0
"$DAEMON" -f -o transport=uring "$T/set" "$MNT" </dev/null \
	>"$T/uring.out" 2>"$T/uring.err" || rc=$?
assert_eq 1 "$rc" "exit status of -o transport=uring with the ring off"
is_mounted "$MNT" && fail "-o transport=uring mounted without the ring"
for want in "transport=uring" "$ENABLE_URING"; do
	grep -qF -- "$want" "$T/uring.err" ||
		fail "message lacks '$want': $(cat "$T/uring.err")"
done
if [ "$param" = N ]; then
	grep -qF -- "echo 1 > $ENABLE_URING" "$T/uring.err" ||
		fail "message does not say how to turn it on: $(cat "$T/uring.err")"
fi
cmp -s "$SRC/a.img" "$MODEL/a.img" || fail "the refused start changed a.img"

note "dev: chosen on the command line"
mount_set "$T/set" -o transport=dev
line=$(grep '^transport:' "$MNT/.pmemset/status")
assert_eq "transport: dev (-o transport=dev)" "$line" "status transport line"
unmount_set
