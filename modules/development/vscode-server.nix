# The VS Code remote server, patched to run on NixOS. Its module comes from
# the vscode-server flake input (imported through the catalog); without it
# this file does nothing.
{
  config,
  lib,
  options,
  ...
}:
let
  cfg = config.development;
in
{
  config = lib.optionalAttrs (options.services ? vscode-server) {
    services.vscode-server.enable = lib.mkIf cfg.enable (lib.mkDefault true);
  };
}
