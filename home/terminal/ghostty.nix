# ghostty from its own flake, with the colours DankMaterialShell generates
# pulled in from ~/.config/ghostty/config-dankcolors (optional: a missing
# file is not an error), and a hidden desktop entry that gives the drop-down
# terminal window ghostty's icon.
{
  config,
  lib,
  pkgs,
  axiosFlake,
  ...
}:
let
  cfg = config.axios.terminal;
  system = pkgs.stdenv.hostPlatform.system;
  fromInput = axiosFlake.inputs.ghostty.packages.${system}.default or null;
in
{
  options.axios.terminal = {
    ghosttyPackage = lib.mkOption {
      type = lib.types.package;
      default = if fromInput != null then fromInput else pkgs.ghostty;
      defaultText = lib.literalExpression "inputs.ghostty.packages.\${system}.default (pkgs.ghostty without that input)";
      description = "The ghostty package.";
    };

    dropdownAppId = lib.mkOption {
      type = lib.types.str;
      default = "com.kc.dropterm";
      description = ''
        The application id (window class) of the drop-down terminal. The
        Niri configuration spawns `ghostty --class=<this>` and matches its
        window rules on it; the desktop entry of the same name supplies the
        icon.
      '';
    };
  };

  config = lib.mkIf cfg.enable {
    programs.ghostty = {
      enable = lib.mkDefault true;
      package = lib.mkDefault cfg.ghosttyPackage;
      enableFishIntegration = lib.mkDefault true;
      settings.config-file = lib.mkDefault "?config-dankcolors";
    };

    xdg.desktopEntries.${cfg.dropdownAppId} = lib.mapAttrsRecursive (_: lib.mkDefault) {
      name = "Ghostty Drop-down Terminal";
      comment = "Drop-down terminal using Ghostty";
      icon = "com.mitchellh.ghostty";
      exec = "${lib.getExe cfg.ghosttyPackage} --class=${cfg.dropdownAppId}";
      terminal = false;
      noDisplay = true;
      categories = [
        "System"
        "TerminalEmulator"
      ];
      settings.StartupWMClass = cfg.dropdownAppId;
    };
  };
}
