/* commands.h — one declaration per subcommand, generated from commands.def. */
#ifndef CS_CLI_COMMANDS_H
#define CS_CLI_COMMANDS_H

#define CS_COMMAND(name, summary) int cs_cmd_##name(int argc, char **argv);
#include "cli/commands.def"
#undef CS_COMMAND

#endif
