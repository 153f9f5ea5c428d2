# starship with the "axion" palette: a two-line prompt (user@host:dir, git,
# toolchains, then the arrow). The Zig, Copilot and Claude segments are custom
# modules (run with sh, not fish, to keep the prompt fast) and are referenced
# as ${custom.<name>} in the format.
#
# Every setting is an opinion in mkDefault (on each leaf, so setting one of
# them, e.g. `programs.starship.settings.add_newline = false;`, keeps the
# others).
{
  config,
  lib,
  ...
}:
let
  cfg = config.axios.terminal;
in
{
  config = lib.mkIf cfg.enable {
    programs.starship = {
      enable = lib.mkDefault true;
      enableFishIntegration = lib.mkDefault true;
      settings = lib.mapAttrsRecursive (_: lib.mkDefault) {
        add_newline = true;
        palette = "axion";
        palettes.axion = {
          base = "#e0e4e9";
          dim = "#9ca4ae";
          mute = "#2a3a4e";
          dir = "#b3d4ff";
          cyan = "#86e8ef";
          green = "#7fe0b4";
          yellow = "#f5e38a";
          red = "#ff9e9e";
          magenta = "#cba6f7";
        };

        format = lib.concatStrings [
          "[╭─](mute)"
          "$username"
          "[@](base)"
          "$hostname"
          "[:](mute)"
          "$directory"
          "$git_branch"
          "$git_status"
          "$nix_shell"
          "$rust"
          "\${custom.zig}"
          "$nodejs"
          "$python"
          "\${custom.copilot}"
          "\${custom.claude}"
          "$line_break"
          "[╰─➤ ](mute)"
          "$character"
        ];

        character = {
          success_symbol = "[➜](bold base)";
          error_symbol = "[➜](bold dim)";
        };

        username = {
          show_always = true;
          format = "[$user]($style)";
          style_user = "bold base";
          style_root = "bold red";
        };

        hostname = {
          ssh_only = false;
          format = "[$hostname]($style)";
          style = "bold base";
        };

        directory = {
          style = "bold dir";
          truncation_length = 3;
          truncate_to_repo = true;
          read_only = " ";
          read_only_style = "bold yellow";
          format = "[ $path]($style)[$read_only]($read_only_style) ";
        };

        git_branch = {
          symbol = " ";
          style = "bold base";
          format = "[$symbol$branch]($style) ";
        };

        git_status = {
          style = "bold dim";
          format = "([$all_status$ahead_behind]($style) )";
          conflicted = "✖\${count}";
          ahead = "⇡\${count}";
          behind = "⇣\${count}";
          diverged = "⇕⇡\${ahead_count}⇣\${behind_count}";
          staged = "●\${count}";
          modified = "✚\${count}";
          renamed = "»\${count}";
          deleted = "⟂\${count}";
          untracked = "…\${count}";
          stashed = "≡";
        };

        nix_shell = {
          symbol = " ";
          style = "bold magenta";
          format = "[$symbol$state]($style) ";
        };

        rust = {
          symbol = " ";
          style = "bold cyan";
        };

        nodejs = {
          symbol = "󰎙 ";
          style = "bold cyan";
        };

        python = {
          symbol = " ";
          style = "bold cyan";
          pyenv_version_name = true;
          format = "[$symbol$pyenv_prefix($version )(\\($virtualenv\\) )]($style)";
        };

        custom.zig = {
          detect_files = [
            "build.zig"
            "build.zig.zon"
            "zig.zon"
          ];
          command = "zig version";
          shell = [ "sh" ];
          symbol = " ";
          style = "bold cyan";
          format = "[$symbol($output )]($style)";
        };

        # Shown when GitHub Copilot is active in this shell.
        custom.copilot = {
          when = "test -n \"$GITHUB_COPILOT_ENABLED\"";
          shell = [ "sh" ];
          symbol = " ";
          style = "bold green";
          format = "[$symbol]($style)";
        };

        # Shown in shells started by Claude Code (it sets CLAUDECODE=1).
        custom.claude = {
          when = "test -n \"$CLAUDECODE\"";
          shell = [ "sh" ];
          symbol = "󰚩 ";
          style = "bold magenta";
          format = "[$symbol]($style)";
        };

        package.disabled = true;
      };
    };
  };
}
