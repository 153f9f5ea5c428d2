# Brave with a small set of extensions (installed from the Chrome Web Store by
# id) and flags that make it use the desktop's secret store and GTK 4.
{
  config,
  lib,
  ...
}:
let
  cfg = config.axios.browser;
in
{
  options.axios.browser = {
    enable = lib.mkEnableOption "Brave with the axiOS extensions" // {
      default = true;
    };

    extensions = lib.mkOption {
      type = lib.types.listOf (lib.types.strMatching "[a-p]{32}");
      default = [
        "ghbmnnjooekpmoecnnnilnnbdlolhkhi" # Google Docs Offline
        "nimfmkdcckklbkhjjkmbjfcpaiifgamg" # Brave Talk for Calendars
        "aomjjfmjlecjafonmbhlgochhaoplhmo" # 1Password
      ];
      description = ''
        Chrome Web Store ids of the extensions Brave installs. Replace the
        list, or add to it with `axios.browser.extraExtensions`.
      '';
    };

    extraExtensions = lib.mkOption {
      type = lib.types.listOf (lib.types.strMatching "[a-p]{32}");
      default = [ ];
      example = [ "cjpalhdlnbpafiamejdnhcphjbkeiagm" ];
      description = "More extension ids, added to `axios.browser.extensions`.";
    };

    commandLineArgs = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = [
        "--password-store=detect"
        "--gtk-version=4"
      ];
      description = "Flags Brave is started with.";
    };
  };

  config = lib.mkIf cfg.enable {
    programs.brave = {
      enable = true;
      extensions = map (id: { inherit id; }) (cfg.extensions ++ cfg.extraExtensions);
      inherit (cfg) commandLineArgs;
    };
  };
}
