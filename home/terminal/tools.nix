# Everyday command-line tools, with their fish integrations. Every setting is
# an opinion in mkDefault; eza's extraOptions is a list and merges with a
# user's own.
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
        enable = lib.mkDefault true;
        git = lib.mkDefault true;
        icons = lib.mkDefault "auto";
        enableFishIntegration = lib.mkDefault true;
        enableBashIntegration = lib.mkDefault true;
        extraOptions = [
          "--group-directories-first"
          "--header"
        ];
      };
      ripgrep.enable = lib.mkDefault true;
      fd.enable = lib.mkDefault true;
      fzf = {
        enable = lib.mkDefault true;
        enableFishIntegration = lib.mkDefault true;
      };
      gh.enable = lib.mkDefault true;
      zoxide = {
        enable = lib.mkDefault true;
        enableFishIntegration = lib.mkDefault true;
      };
      direnv = {
        enable = lib.mkDefault true;
        nix-direnv.enable = lib.mkDefault true;
      };
    };
  };
}
