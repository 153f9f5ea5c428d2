# fish: rebuild helpers, colours for a dark (#080C12) background, fzf file
# picker on Ctrl+F and git abbreviations.
#
# Opinions are in mkDefault, leaf by leaf: a user's own function, abbreviation
# or binding of the same name replaces ours. interactiveShellInit stays plain:
# it is lines, and a user's lines are added to ours.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.axios.terminal;
in
{
  config = lib.mkIf cfg.enable {
    programs.fish = {
      enable = lib.mkDefault true;

      functions = lib.mapAttrsRecursive (_: lib.mkDefault) {
        _axios_flake_path = {
          description = "Print the system flake's folder: $FLAKE_PATH, else ~/.config/nixos_config";
          body = ''
            if set -q FLAKE_PATH; and test -n "$FLAKE_PATH"
                echo $FLAKE_PATH
            else
                echo $HOME/.config/nixos_config
            end
          '';
        };

        # axios builds before it activates and knows the flake; without it,
        # fall back to nixos-rebuild on FLAKE_PATH#<hostname>.
        _axios_rebuild = {
          description = "Rebuild the system: axios when installed, else nixos-rebuild";
          argumentNames = [ "action" ];
          body = ''
            if command -q axios
                axios $action $argv[2..-1]
            else
                sudo nixos-rebuild $action --flake (_axios_flake_path)"#"(hostname) $argv[2..-1]
            end
          '';
        };

        rebuild-switch = {
          description = "Build the system and switch to it now";
          body = "_axios_rebuild switch $argv";
        };
        rebuild-boot = {
          description = "Build the system and make it the boot default";
          body = "_axios_rebuild boot $argv";
        };
        rebuild-test = {
          description = "Build the system and activate it until reboot";
          body = "_axios_rebuild test $argv";
        };

        update-flake = {
          description = "Update the system flake's inputs (flake.lock)";
          body = "nix flake update --flake (_axios_flake_path) $argv";
        };

        flake-cd = {
          description = "cd into the system flake";
          body = "cd (_axios_flake_path)";
        };

        mkcd = {
          description = "Create a directory (with parents) and cd into it";
          body = ''
            if test (count $argv) -ne 1
                echo "usage: mkcd DIRECTORY" >&2
                return 2
            end
            mkdir -p -- $argv[1]; and cd -- $argv[1]
          '';
        };

        _axios_fzf_file = {
          description = "Pick a file with fzf and insert it on the command line";
          body = ''
            set -l picked (${lib.getExe pkgs.fd} --type f --hidden --follow --exclude .git | ${lib.getExe pkgs.fzf} --height 40% --reverse)
            if test -n "$picked"
                commandline --insert -- (string escape -- $picked)
            end
            commandline --function repaint
          '';
        };
      };

      binds."ctrl-f".command = lib.mkDefault "_axios_fzf_file";

      shellAbbrs = lib.mapAttrs (_: lib.mkDefault) {
        gs = "git status -sb";
        ga = "git add -A";
        gc = "git commit -m";
        gco = "git checkout";
        gb = "git switch -c";
        gl = "git log --oneline --graph --decorate -20";
      };

      interactiveShellInit = ''
        set -g fish_greeting

        set -g fish_color_normal e0e4e9
        set -g fish_color_command 86e8ef
        set -g fish_color_keyword cba6f7
        set -g fish_color_param b3d4ff
        set -g fish_color_quote 7fe0b4
        set -g fish_color_redirection f5e38a
        set -g fish_color_end 9ca4ae
        set -g fish_color_error ff9e9e
        set -g fish_color_comment 2a3a4e
        set -g fish_color_selection --background=2a3a4e
        set -g fish_color_search_match --background=2a3a4e
        set -g fish_color_operator 9ca4ae
        set -g fish_color_escape f5e38a
        set -g fish_color_autosuggestion 2a3a4e
        set -g fish_pager_color_description 9ca4ae
        set -g fish_pager_color_completion e0e4e9
        set -g fish_pager_color_prefix b3d4ff --bold
        set -g fish_pager_color_progress 2a3a4e
      '';
    };
  };
}
