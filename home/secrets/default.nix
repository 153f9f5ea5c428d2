# User secrets with agenix (its home-manager module comes through the catalog
# entry's `imports`). Secrets are decrypted at login by agenix's user service
# into $XDG_RUNTIME_DIR/agenix/<name> (a tmpfs): never into the Nix store.
#
# Declare secrets with age.secrets.<name>.file, or point secrets.secretsDir
# at a folder: every <name>.age file in it becomes age.secrets.<name>. Other
# axiOS home modules look secrets up by name (for example the AI module's
# brave-api-key, tavily-api-key and github-token).
#
# From the system it inherits `enable` (the NixOS secrets.enable). It does not
# inherit the system's secretsDir unless asked to: those files are normally
# encrypted for the host's SSH key only, and agenix's user service stops at
# the first file your own key cannot decrypt.
{
  config,
  lib,
  osConfig ? null,
  ...
}:
let
  cfg = config.secrets;
  discover = (import ../../lib/core/secrets.nix).discover;
  systemSecrets = if osConfig == null then { } else osConfig.secrets or { };
  dir =
    if cfg.secretsDir != null then
      cfg.secretsDir
    else if cfg.inheritSystemSecretsDir then
      systemSecrets.secretsDir or null
    else
      null;
in
{
  options.secrets = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = systemSecrets.enable or false;
      defaultText = lib.literalExpression "osConfig.secrets.enable (false without NixOS)";
      description = "Whether to decrypt user secrets with agenix.";
    };

    identityPaths = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = [
        "${config.home.homeDirectory}/.ssh/id_ed25519"
        "${config.home.homeDirectory}/.ssh/id_rsa"
      ];
      defaultText = lib.literalExpression ''[ "~/.ssh/id_ed25519" "~/.ssh/id_rsa" ] (absolute)'';
      description = "Private keys agenix tries, in order, to decrypt the user's secrets.";
    };

    secretsDir = lib.mkOption {
      type = lib.types.nullOr lib.types.path;
      default = null;
      example = lib.literalExpression "./secrets/alice";
      description = ''
        A folder of age-encrypted files: every `<name>.age` directly inside
        becomes `age.secrets.<name>`. Only the encrypted files are read.
      '';
    };

    inheritSystemSecretsDir = lib.mkOption {
      type = lib.types.bool;
      default = false;
      description = ''
        When secretsDir is null, use the system's secrets.secretsDir instead.
        Turn on only when those files are also encrypted for your key.
      '';
    };
  };

  config = lib.mkIf cfg.enable (
    lib.mkMerge [
      { age.identityPaths = cfg.identityPaths; }
      (lib.mkIf (dir != null) {
        age.secrets = lib.mapAttrs (_: file: { file = lib.mkDefault file; }) (discover dir);
      })
    ]
  );
}
