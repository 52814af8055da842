// keyhound completion bash|zsh|fish, and the man page (hidden `keyhound manpage`): both written
// from the CLI11 definitions themselves, so they never miss a command or an option.
#include <fmt/format.h>

#include <iostream>
#include <map>

#include "cli/common.hpp"

namespace keyhound::cli {
namespace {

struct OptionInfo {
  std::vector<std::string> names;  // --long and -s forms
  std::string value;               // the value's name ("FILE"), empty for a flag
  std::string description;
};

struct CommandInfo {
  std::string path;  // "keyhound", "keyhound scan", "keyhound rules list"
  std::string description;
  std::vector<std::string> subcommands;
  std::vector<OptionInfo> options;
  std::vector<std::string> positionals;  // their names, for the man page's synopsis
};

bool visible(const CLI::App* command) {
  return !command->get_group().empty();
}

void collect(const CLI::App& command, const std::string& path, std::vector<CommandInfo>& out) {
  CommandInfo info{path, command.get_description(), {}, {}, {}};
  for (const CLI::Option* option : command.get_options()) {
    if (option->get_group().empty()) continue;
    if (option->get_positional() && option->get_lnames().empty() && option->get_snames().empty()) {
      info.positionals.push_back(option->get_name(true));
      continue;
    }
    OptionInfo entry;
    for (const auto& name : option->get_lnames()) entry.names.push_back("--" + name);
    for (const auto& name : option->get_snames()) entry.names.push_back("-" + name);
    if (option->get_items_expected_max() > 0) {
      std::string type = option->get_type_name();
      entry.value = type.empty() || type == "TEXT" || type == "TEXT ..." ? "VALUE" : type;
    }
    entry.description = option->get_description();
    info.options.push_back(std::move(entry));
  }
  std::vector<const CLI::App*> children =
      command.get_subcommands([](const CLI::App* c) { return visible(c); });
  for (const CLI::App* child : children) info.subcommands.push_back(child->get_name());
  out.push_back(std::move(info));
  for (const CLI::App* child : children) collect(*child, path + " " + child->get_name(), out);
}

std::string words_of(const CommandInfo& command) {
  std::string words;
  for (const auto& sub : command.subcommands) words += (words.empty() ? "" : " ") + sub;
  for (const auto& option : command.options)
    for (const auto& name : option.names) words += (words.empty() ? "" : " ") + name;
  return words;
}

std::string value_options_of(const CommandInfo& command) {
  std::string words;
  for (const auto& option : command.options)
    if (!option.value.empty())
      for (const auto& name : option.names) words += (words.empty() ? "" : " ") + name;
  return words;
}

// Bash: a table of what follows each command path; paths are found by walking the words typed.
std::string bash_script(const std::vector<CommandInfo>& commands) {
  std::string words, values, files;
  for (const auto& command : commands) {
    words += fmt::format("    [{}]={}\n", single_quoted(command.path), single_quoted(words_of(command)));
    values +=
        fmt::format("    [{}]={}\n", single_quoted(command.path), single_quoted(value_options_of(command)));
    if (!command.positionals.empty()) files += fmt::format(" [{}]=1", single_quoted(command.path));
  }
  return fmt::format(R"(# bash completion for keyhound (written by `keyhound completion bash`)
_keyhound() {{
  local -A words=(
{}  )
  local -A value_options=(
{}  )
  local -A takes_paths=({} )
  local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}} command=keyhound next i
  for ((i = 1; i < COMP_CWORD; i++)); do
    next="$command ${{COMP_WORDS[i]}}"
    [[ -n ${{words[$next]+set}} ]] && command=$next
  done
  if [[ " ${{value_options[$command]}} " == *" $prev "* ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -W "${{words[$command]}}" -- "$cur"))
  if [[ $cur != -* && -n ${{takes_paths[$command]+set}} ]]; then
    COMPREPLY+=($(compgen -f -- "$cur"))
  fi
}}
complete -o filenames -F _keyhound keyhound
)",
                     words, values, files);
}

std::string zsh_script(const std::vector<CommandInfo>& commands) {
  std::string words, files;
  for (const auto& command : commands) {
    words += fmt::format("    {} {}\n", single_quoted(command.path), single_quoted(words_of(command)));
    if (!command.positionals.empty()) files += " " + single_quoted(command.path) + " 1";
  }
  // `words`, `CURRENT` and `PREFIX` are zsh's own completion variables; `path` is $PATH's array.
  return fmt::format(R"(#compdef keyhound
# zsh completion for keyhound (written by `keyhound completion zsh`)
_keyhound() {{
  local -A kh_words kh_paths
  kh_words=(
{}  )
  kh_paths=({} )
  local command=keyhound next i
  for ((i = 2; i < CURRENT; i++)); do
    next="$command ${{words[i]}}"
    (( ${{+kh_words[$next]}} )) && command=$next
  done
  compadd -- ${{=kh_words[$command]}}
  if [[ $PREFIX != -* ]] && (( ${{+kh_paths[$command]}} )); then
    _files
  fi
}}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _keyhound "$@"
else
  compdef _keyhound keyhound
fi
)",
                     words, files);
}

std::string fish_quoted(const std::string& text) {
  return single_quoted(text);
}

std::string fish_script(const std::vector<CommandInfo>& commands) {
  std::string known;
  for (const auto& command : commands) known += " " + fish_quoted(command.path);
  std::string out = fmt::format(R"(# fish completion for keyhound (written by `keyhound completion fish`)
function __keyhound_command
  set -l known{}
  set -l command keyhound
  for word in (commandline -opc)[2..-1]
    set -l next "$command $word"
    contains -- $next $known; and set command $next
  end
  echo $command
end
complete -c keyhound -f
)",
                                known);
  for (const auto& command : commands) {
    std::string condition = fmt::format("test (__keyhound_command) = {}", fish_quoted(command.path));
    for (const auto& sub : command.subcommands)
      out += fmt::format("complete -c keyhound -n {} -a {}\n", fish_quoted(condition), fish_quoted(sub));
    for (const auto& option : command.options) {
      std::string names;
      for (const auto& name : option.names)
        names += name.rfind("--", 0) == 0 ? " -l " + fish_quoted(name.substr(2))
                                          : " -s " + fish_quoted(name.substr(1));
      out += fmt::format("complete -c keyhound -n {}{}{} -d {}\n", fish_quoted(condition), names,
                         option.value.empty() ? "" : " -r -F", fish_quoted(option.description));
    }
    if (!command.positionals.empty())
      out += fmt::format("complete -c keyhound -n {} -F\n", fish_quoted(condition));
  }
  return out;
}

// troff escapes: backslashes, hyphens that are not meant to break, and a leading dot or quote.
std::string roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

std::string man_page(const std::vector<CommandInfo>& commands) {
  std::string out = fmt::format(R"(.TH KEYHOUND 1 "" "keyhound {}" "User Commands"
.SH NAME
keyhound \- find hardcoded credentials in files and git history, and vault them
.SH SYNOPSIS
.B keyhound
\fICOMMAND\fR [\fIOPTIONS\fR] [\fIARGUMENTS\fR]
.SH DESCRIPTION
keyhound scans directory trees, files, standard input, the whole history of a git repository
or what the index adds over HEAD for hardcoded credentials, reports them without their values
(text, JSON, JSON lines or SARIF), keeps a triage baseline and moves confirmed secrets into AWS
Secrets Manager.
.SH COMMANDS
)",
                                KEYHOUND_VERSION);
  for (const auto& command : commands) {
    if (command.path == "keyhound") continue;
    std::string synopsis = command.path;
    if (!command.subcommands.empty()) synopsis += " COMMAND";
    if (!command.options.empty()) synopsis += " [OPTIONS]";
    for (const auto& positional : command.positionals) synopsis += " [" + positional + "]";
    out += ".SS \"" + roff(synopsis) + "\"\n" + roff(command.description) + "\n";
    for (const auto& option : command.options) {
      std::string names;
      for (const auto& name : option.names)
        names += (names.empty() ? "" : ", ") + std::string("\\fB") + roff(name) + "\\fR";
      out += ".TP\n" + names + (option.value.empty() ? "" : " \\fI" + roff(option.value) + "\\fR") + "\n" +
             roff(option.description) + "\n";
    }
  }
  out += R"(.SH EXIT STATUS
.TP
.B 0
nothing new found
.TP
.B 1
findings, after the baseline, allow comments and .keyhound.yml (scan \-\-exit\-code N picks another code)
.TP
.B 2
error: bad arguments, unreadable rules or config, not a repository
.SH FILES
.TP
.I .keyhound.yml
repository settings: excludes, extra rules, allowlists, disabled rules; the nearest one from the
scanned path up to the repository root
.TP
.I .keyhound\-baseline.json
the triage baseline a team commits
.TP
.I ~/.cache/keyhound
compiled rule databases
.SH ENVIRONMENT
.TP
.B KEYHOUND_CACHE_DIR
where compiled rule databases are cached (else $XDG_CACHE_HOME/keyhound or ~/.cache/keyhound)
.TP
.B NO_COLOR
never color the text output
.TP
.B AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL_SECRETS_MANAGER
the vault's credentials, region and endpoint, as the AWS CLI reads them
.SH SEE ALSO
.BR git (1),
/usr/share/doc/keyhound/
)";
  return out;
}

}  // namespace

void add_completion_command(CLI::App& app, int& exit_code) {
  auto shell = std::make_shared<std::string>();
  CLI::App* completion =
      app.add_subcommand("completion", "Print a shell completion script: bash, zsh or fish");
  completion->add_option("shell", *shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  completion->footer(
      "Load it with: source <(keyhound completion bash)   (zsh: source <(keyhound completion zsh); fish: "
      "keyhound "
      "completion fish | source)");
  completion->callback([&app, shell, &exit_code] {
    std::vector<CommandInfo> commands;
    collect(app, "keyhound", commands);
    if (*shell == "bash")
      std::cout << bash_script(commands);
    else if (*shell == "zsh")
      std::cout << zsh_script(commands);
    else
      std::cout << fish_script(commands);
    exit_code = kClean;
  });

  CLI::App* manpage = app.add_subcommand("manpage", "Print the man page (troff), as installed as keyhound.1");
  manpage->group("");  // for the build, not for users
  manpage->callback([&app, &exit_code] {
    std::vector<CommandInfo> commands;
    collect(app, "keyhound", commands);
    std::cout << man_page(commands);
    exit_code = kClean;
  });
}

}  // namespace keyhound::cli
