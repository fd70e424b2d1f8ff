# Sourced by bad_input.sh and bad_ctl.sh.

# said_twice MESSAGE: prints a run of four words, or a word of 16 bytes or
# more (a path), that the message repeats; nothing when it says each thing
# once. The "pmemsetfs: SETFILE:LINE:" prefix does not count.
said_twice() {
	printf '%s\n' "${1#*: }" | awk '{
		sub(/^[^ ]*:[0-9]+: /, "")
		for (i = 1; i <= NF; i++) {
			w = $i
			gsub(/[:,;()]+$/, "", w)
			if (length(w) >= 16 && seen_word[w]++) { print w; exit }
			if (i + 3 <= NF) {
				g = $i " " $(i + 1) " " $(i + 2) " " $(i + 3)
				gsub(/[:,;]/, "", g)
				if (seen_run[g]++) { print g; exit }
			}
		}
	}'
}
