# Writes the man page postured.toml(5) from the shipped config, which documents every key.
# cmake -DINPUT=config/postured.toml -DOUTPUT=postured.toml.5 -DVERSION=x.y.z -P config_man.cmake
file(READ "${INPUT}" text)
string(REPLACE "\\" "\\e" text "${text}")
string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
file(WRITE "${OUTPUT}" ".TH POSTURED.TOML 5 \"\" \"postured ${VERSION}\" \"File Formats\"
.SH NAME
postured.toml \\- configuration of postured, the posture-break reminder
.SH SYNOPSIS
.I /etc/xdg/postured/config.toml
(and each directory of
.BR $XDG_CONFIG_DIRS ),
.I ~/.config/postured/config.toml
.RB ( $XDG_CONFIG_HOME )
.SH DESCRIPTION
.B postured
reads the system files, then the user's; a later file overrides an earlier one key by key, so a
user's file holds only what it changes.
.B postured \\-\\-config
.I FILE
reads that file alone.
.B posturectl config check
checks a file offline and names each problem by file, line and column;
.B posturectl reload
(or
.BR \"systemctl \\-\\-user reload postured\" )
puts a changed file in force, or refuses it and keeps the one in force.
.PP
The file as shipped, with every key, its default and what it does:
.PP
.nf
${text}.fi
.SH SEE ALSO
.BR postured (1),
.BR posturectl (1)
")
