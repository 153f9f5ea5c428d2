# Everyday command-line tools, with their fish integrations.
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
    programs = {
      eza = {
        enable = true;
        git = true;
        icons = "auto";
        enableFishIntegration = true;
        enableBashIntegration = true;
        extraOptions = [
          "--group-directories-first"
          "--header"
        ];
      };
      ripgrep.enable = true;
      fd.enable = true;
      fzf = {
        enable = true;
        enableFishIntegration = true;
      };
      gh.enable = true;
      zoxide = {
        enable = true;
        enableFishIntegration = true;
      };
      direnv = {
        enable = true;
        nix-direnv.enable = true;
      };
    };
  };
}
