# direnv with nix-direnv: `use flake` in .envrc loads a project's devShell
# and keeps it from being garbage-collected.
{ config, lib, ... }:
let
  cfg = config.development;
in
{
  config = lib.mkIf cfg.enable {
    programs.direnv = {
      enable = lib.mkDefault true;
      nix-direnv.enable = lib.mkDefault true;
      silent = lib.mkDefault true;
    };
  };
}
