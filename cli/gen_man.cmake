# Writes the man page gdlimits.1 from the program's own help texts (no help2man):
#   cmake -DGDLIMITS=<path to gdlimits> -DOUT=<gdlimits.1> -P gen_man.cmake
# DESCRIPTION is `gdlimits --help`; COMMANDS has one section per command listed there, with
# the text of `gdlimits <command> --help`. Run at build time (cli/CMakeLists.txt) and by ctest
# cli.man, which regenerates it and compares, so --help and the man page cannot drift.
if(NOT GDLIMITS OR NOT OUT)
  message(FATAL_ERROR "usage: cmake -DGDLIMITS=... -DOUT=... -P gen_man.cmake")
endif()

# runs gdlimits with the given arguments; the stdout text into `var` (exit 0 required)
function(gdl_help var)
  execute_process(COMMAND ${GDLIMITS} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE text ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR text STREQUAL "")
    message(FATAL_ERROR "gdlimits ${ARGN}: exit ${rc}, no help text: ${err}")
  endif()
  set(${var} "${text}" PARENT_SCOPE)
endfunction()

# roff-safe literal text: backslashes as \e, a leading '.' or '\'' escaped with \&
function(gdl_roff var text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${var} "${text}" PARENT_SCOPE)
endfunction()

gdl_help(top --help)
gdl_help(version --version)
string(STRIP "${version}" version)
# the commands: the lines "  <name>  <summary>" after "commands:"
string(REGEX REPLACE "^.*\ncommands:\n" "" block "${top}")
string(REGEX REPLACE "\n\n.*$" "" block "${block}")
string(REGEX MATCHALL "\n  [a-z]+ +" found "\n${block}")
set(commands "")
foreach(f IN LISTS found)
  string(STRIP "${f}" f)
  list(APPEND commands "${f}")
endforeach()
if(NOT commands)
  message(FATAL_ERROR "gdlimits --help lists no commands")
endif()

gdl_roff(top_r "${top}")
set(page ".\\\" Generated from the help texts of ${version} by cli/gen_man.cmake; do not edit.\n")
string(APPEND page ".TH GDLIMITS 1 \"\" \"${version}\" \"User Commands\"\n")
string(APPEND page ".SH NAME\ngdlimits \\- executable checks of what gradient descent cannot learn\n")
string(APPEND page ".SH SYNOPSIS\n.B gdlimits\n\\fIcommand\\fR [\\fIflags\\fR]\n.br\n")
string(APPEND page ".B gdlimits\n\\fIcommand\\fR \\fB\\-\\-help\\fR\n")
string(APPEND page ".SH DESCRIPTION\n.nf\n${top_r}.fi\n.SH COMMANDS\n")
foreach(c IN LISTS commands)
  gdl_help(text ${c} --help)
  gdl_roff(text "${text}")
  string(APPEND page ".SS gdlimits ${c}\n.nf\n${text}.fi\n")
endforeach()
string(APPEND page ".SH ENVIRONMENT\n.TP\n.B GDL_SEED\nthe default base seed of the commands with --seed\n")
string(APPEND page ".TP\n.B GDL_MEM_LIMIT\nthe largest allocation a command may plan (commands with --mem-limit)\n")
file(WRITE "${OUT}.tmp" "${page}")
file(RENAME "${OUT}.tmp" "${OUT}")
