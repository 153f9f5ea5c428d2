# agenix secrets: encrypted *.age files in the flake, decrypted at activation
# to /run/agenix/<name> with the host's SSH key. No secret value enters the
# Nix store; only the encrypted files do.
#
# The agenix NixOS module is imported by the catalog entry
# (agenix.nixosModules.default).
{
  config,
  lib,
  pkgs,
  axiosFlake,
  ...
}:
let
  cfg = config.secrets;
  secretsCore = import ../../lib/core/secrets.nix;
  system = pkgs.stdenv.hostPlatform.system;
  agenixCli = axiosFlake.inputs.agenix.packages.${system}.default or null;
in
{
  options.secrets = {
    enable = lib.mkEnableOption "agenix secrets";

    identityPaths = lib.mkOption {
      type = lib.types.listOf lib.types.path;
      # Both host keys NixOS generates by default; agenix skips a path that
      # is missing or empty, so secrets encrypted to either key decrypt.
      default = [
        "/etc/ssh/ssh_host_ed25519_key"
        "/etc/ssh/ssh_host_rsa_key"
      ];
      example = [ "/etc/ssh/ssh_host_ed25519_key" ];
      description = "Private keys agenix tries when decrypting, at activation (missing ones are skipped).";
    };

    secretsDir = lib.mkOption {
      type = lib.types.nullOr lib.types.path;
      default = null;
      example = lib.literalExpression "./secrets";
      description = ''
        Folder whose `<name>.age` files become `age.secrets.<name>`
        (decrypted to /run/agenix/<name>). Only regular files directly in the
        folder count. Use a path inside your flake.
      '';
    };

    installCLI = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = "Install the agenix command (agenix -e <name>.age) and age.";
    };
  };

  config = lib.mkIf cfg.enable (
    lib.mkMerge [
      {
        age.identityPaths = cfg.identityPaths;

        environment.systemPackages = lib.mkIf cfg.installCLI (
          [ pkgs.age ] ++ lib.optional (agenixCli != null) agenixCli
        );
      }

      (lib.mkIf (cfg.secretsDir != null) {
        age.secrets = lib.mapAttrs (_: file: { inherit file; }) (secretsCore.discover cfg.secretsDir);
      })
    ]
  );
}
