# Brave with a small set of extensions (installed from the Chrome Web Store by
# id), flags that make it use the desktop's secret store and GTK 4, and
# hardware video decoding for the machine's GPU (lib/core/browser.nix).
{
  config,
  lib,
  osConfig ? null,
  ...
}:
let
  cfg = config.axios.browser;
  browserCore = import ../../lib/core/browser.nix;
  inherit ((import ../../lib/core { }).vocabulary) gpuTypes;
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
      description = ''
        Flags Brave is started with. The video decoding flags are added to
        them (`--enable-features` lists are merged into one, since Chromium
        reads only the last).
      '';
    };

    gpuType = lib.mkOption {
      type = lib.types.nullOr (lib.types.enum gpuTypes);
      default = if osConfig == null then null else osConfig.axios.hardware.gpuType or null;
      defaultText = lib.literalExpression "osConfig.axios.hardware.gpuType (null without a NixOS configuration)";
      description = "The GPU vendor whose video decoder Brave and the PWAs use; null decodes in software.";
    };

    hardwareVideoDecode = lib.mkOption {
      type = lib.types.bool;
      default = true;
      example = false;
      description = ''
        Whether Brave and the PWA launchers decode video on the GPU
        (axios.browser.gpuType): VA-API on AMD and Intel, VA-API through
        nvidia-vaapi-driver on NVIDIA, nothing without a GPU.
      '';
    };

    finalCommandLineArgs = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      readOnly = true;
      default = browserCore.args {
        inherit (cfg) gpuType hardwareVideoDecode;
        args = cfg.commandLineArgs;
      };
      defaultText = lib.literalExpression "commandLineArgs with the video decoding flags of gpuType";
      description = "The flags Brave is started with: commandLineArgs and the video decoding flags. Read-only.";
    };
  };

  config = lib.mkIf cfg.enable {
    # extensions and commandLineArgs are lists: a user's own are added.
    programs.brave = {
      enable = lib.mkDefault true;
      extensions = map (id: { inherit id; }) (cfg.extensions ++ cfg.extraExtensions);
      commandLineArgs = cfg.finalCommandLineArgs;
    };
  };
}
