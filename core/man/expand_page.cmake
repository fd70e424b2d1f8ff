# expand_page.cmake -- turns a manual page source into the page that is
# installed: @PROJECT_VERSION@ becomes the project's version, and a line
#   .\" @example FILE.c
# becomes the text of examples/FILE.c between .EX and .EE, escaped for
# troff. So each example program exists once, as a C file that the tests
# build and run, and the page shows exactly that file.
# usage: cmake -DIN=page -DOUT=page -DEXAMPLES=dir -DVERSION=x.y.z -P this
file(READ "${IN}" page)
string(REPLACE "@PROJECT_VERSION@" "${VERSION}" page "${page}")

string(REGEX MATCHALL "\\.\\\\\" @example [^\n]+" markers "${page}")
foreach(marker IN LISTS markers)
	string(REGEX REPLACE ".* @example " "" name "${marker}")
	file(READ "${EXAMPLES}/${name}" code)
	# the licence line is for the repository, not for the reader
	string(REGEX REPLACE "^/\\* SPDX[^\n]*\n" "" code "${code}")
	string(REPLACE "\\" "\\e" code "${code}")
	string(REPLACE "-" "\\-" code "${code}")
	string(REPLACE "'" "\\(aq" code "${code}")
	string(REPLACE "\t" "    " code "${code}")
	# a line starting with . or ' would be a request
	string(REGEX REPLACE "\n([.])" "\n\\\\&\\1" code "\n${code}")
	string(REGEX REPLACE "^\n" "" code "${code}")
	string(REPLACE "${marker}" ".PP\n.EX\n${code}.EE" page "${page}")
endforeach()
file(WRITE "${OUT}.tmp" "${page}")
file(RENAME "${OUT}.tmp" "${OUT}")
