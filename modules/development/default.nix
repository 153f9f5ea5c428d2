# axiOS development: editors, build tools, Nix tooling, language servers,
# direnv with nix-direnv and the VS Code server. Language toolchains per
# project come from devShells / `nix develop`, not from here.
{ lib, ... }:
{
  imports = [
    ./packages.nix
    ./direnv.nix
    ./shell.nix
    ./vscode-server.nix
  ];

  options.development = {
    enable = lib.mkEnableOption "the axiOS development tools";

    bashExecFish = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = ''
        Whether interactive bash shells hand over to fish (login shells as
        login shells). The login shell stays bash, so POSIX login scripts and
        `bash -c` keep working.
      '';
    };
  };
}
