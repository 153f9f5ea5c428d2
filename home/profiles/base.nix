# Defaults every axiOS profile shares: the home state version, FLAKE_PATH and
# the user's e-mail address (pushed down by the NixOS users module).
#
# The terminal and security modules are not imported here: the catalog lists
# them in this entry's `requires`, and mkSystem adds them to
# home-manager.sharedModules (with plain home-manager, import
# homeModules.terminal and homeModules.security yourself).
{
  config,
  lib,
  ...
}:
let
  cfg = config.axios.home;
  # The catalog's entries of kind "profile" (lib/core/vocabulary.nix).
  inherit ((import ../../lib/core { }).vocabulary) profiles;
in
{
  options = {
    axios.home = {
      enableDefaults = lib.mkOption {
        type = lib.types.bool;
        default = true;
        description = "Whether to apply the axiOS home defaults (state version and FLAKE_PATH).";
      };

      stateVersion = lib.mkOption {
        type = lib.types.str;
        default = "24.11";
        example = "25.11";
        description = ''
          The home-manager state version set (with mkDefault) as
          `home.stateVersion`. Keep the version your home was first built
          with.
        '';
      };

      profile = lib.mkOption {
        type = lib.types.nullOr (lib.types.enum profiles);
        default = null;
        description = ''
          The profile this home was built with; set by the profile module
          itself (importing two profiles is a conflict). Other modules may
          read it to adapt, e.g. to a laptop.
        '';
      };

      flakePath = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default = "\${HOME}/.config/nixos_config";
        example = "\${HOME}/src/my-hosts";
        description = ''
          Where the user's system flake lives, exported as the session
          variable `FLAKE_PATH` (`''${HOME}` is expanded by the shell). The
          fish helpers and `axios` read it. `null` leaves FLAKE_PATH unset.
        '';
      };
    };

    axios.user.email = lib.mkOption {
      type = lib.types.str;
      default = "";
      example = "alice@example.org";
      description = ''
        The user's e-mail address, used as the git identity. The NixOS
        `users` module sets it from the host's user entry; an empty string
        leaves the git identity unset.
      '';
    };
  };

  config = lib.mkIf cfg.enableDefaults (
    lib.mkMerge [
      { home.stateVersion = lib.mkDefault cfg.stateVersion; }
      (lib.mkIf (cfg.flakePath != null) {
        home.sessionVariables.FLAKE_PATH = lib.mkDefault cfg.flakePath;
      })
    ]
  );
}
