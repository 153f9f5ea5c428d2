# axios.pwa: web apps as desktop applications (pkgs/pwa-apps). The built-in
# set (28 apps, icons drawn by tools/artwork) can be turned off with
# includeDefaults; users add their own with extraApps and iconPath.
{
  config,
  lib,
  pkgs,
  axiosFlake,
  osConfig ? null,
  ...
}:
let
  cfg = config.axios.pwa;
  core = import ../../lib/core/pwa.nix;
  browserCore = import ../../lib/core/browser.nix;
  # The Brave module (home/browser) when it is imported; else the GPU from
  # the NixOS side.
  brave = config.axios.browser or null;
  defaultBrowserArgs =
    if brave != null && cfg.browser == "brave" && brave.enable then
      brave.finalCommandLineArgs
    else
      browserCore.args {
        gpuType = if brave != null then brave.gpuType else osConfig.axios.hardware.gpuType or null;
        hardwareVideoDecode = if brave != null then brave.hardwareVideoDecode else true;
      };

  actionType = lib.types.submodule {
    options = {
      name = lib.mkOption {
        type = lib.types.str;
        description = "Label of the action in the launcher's context menu.";
      };
      url = lib.mkOption {
        type = lib.types.str;
        description = "Page the action opens.";
      };
    };
  };

  appType = lib.types.submodule {
    options = {
      name = lib.mkOption {
        type = lib.types.str;
        example = "Proton Mail";
        description = "Name shown in the launcher.";
      };
      url = lib.mkOption {
        type = lib.types.str;
        example = "https://mail.proton.me/";
        description = "Address the app opens (https://).";
      };
      icon = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default = null;
        example = "proton-mail";
        description = "Base name of a PNG (without .png) in axios.pwa.iconPath. Set icon, themeIcon or both (your PNG wins).";
      };
      themeIcon = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default = null;
        example = "protonmail";
        description = "Name of an app icon of the Papirus icon theme (share/icons/Papirus/64x64/apps/<name>.svg), used when icon is null or its PNG is missing.";
      };
      categories = lib.mkOption {
        type = lib.types.listOf lib.types.str;
        default = [ "Network" ];
        description = "freedesktop.org menu categories.";
      };
      mimeTypes = lib.mkOption {
        type = lib.types.listOf lib.types.str;
        default = [ ];
        example = [ "x-scheme-handler/mailto" ];
        description = "MIME types (and URL schemes) the app handles.";
      };
      actions = lib.mkOption {
        type = lib.types.attrsOf actionType;
        default = { };
        description = "Extra launcher actions, keyed by action id.";
      };
    };
  };

  browserPackages = {
    brave = pkgs.brave;
    chromium = pkgs.chromium;
    google-chrome = pkgs.google-chrome;
  };

  package =
    axiosFlake.self.packages.${pkgs.stdenv.hostPlatform.system}.pwa-apps.override
      {
        browser = cfg.browserPackage;
        browserKind = cfg.browser;
        inherit (cfg) browserArgs;
        inherit (cfg) includeDefaults;
        extraDefs = cfg.extraApps;
        extraIconPaths = lib.optional (cfg.iconPath != null) cfg.iconPath;
      };
  # The icons are copied into the build, so the folder must be a Nix path
  # (or already a store path); a plain "/home/…" string cannot be read there.
  iconPathProblem =
    let
      p = cfg.iconPath;
    in
    lib.optional (
      p != null && !(builtins.isPath p) && !(lib.hasPrefix builtins.storeDir (toString p))
    ) "axios.pwa.iconPath = \"${toString p}\" is a string outside the Nix store, which the PWA build cannot read; fix: give a path in your configuration without quotes, e.g. ./pwa-icons";
  problems =
    iconPathProblem
    ++ lib.concatMap (id: core.check id cfg.extraApps.${id}) (lib.attrNames cfg.extraApps);
in
{
  options.axios.pwa = {
    enable = lib.mkEnableOption "web apps (PWAs) as desktop applications";

    includeDefaults = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = "Whether to install the 28 built-in PWAs (Google apps, YouTube, Element, Telegram, Outlook, Teams, Sonos …).";
    };

    browser = lib.mkOption {
      type = lib.types.enum core.browsers;
      default = "brave";
      description = "Browser family the apps open in; it decides the window app id used by desktop entries and niri rules.";
    };

    browserPackage = lib.mkOption {
      type = lib.types.package;
      default = browserPackages.${cfg.browser};
      defaultText = lib.literalExpression "pkgs.brave, pkgs.chromium or pkgs.google-chrome, after axios.pwa.browser";
      description = "Browser package the launchers run.";
    };

    browserArgs = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = defaultBrowserArgs;
      defaultText = lib.literalExpression ''
        config.axios.browser.finalCommandLineArgs for Brave (the same flags as
        the browser, video decoding included); otherwise the video decoding
        flags of axios.browser.gpuType (lib/core/browser.nix)'';
      description = ''
        Flags the launchers pass to the browser before --app=<url>. The
        first Brave window decides the flags of the whole Brave process, so
        for Brave they default to the browser's own.
      '';
    };

    appsFile = lib.mkOption {
      type = lib.types.nullOr lib.types.path;
      default = null;
      example = lib.literalExpression "./pwa-apps.json";
      description = ''
        A JSON file of more apps, { "<id>": { name, url, categories, icon,
        themeIcon } }, as `axios pwa add` writes it; merged into extraApps
        (an id in both must agree, as with any attribute set option).
      '';
    };

    iconPath = lib.mkOption {
      type = lib.types.nullOr lib.types.path;
      default = null;
      example = lib.literalExpression "./pwa-icons";
      description = "Folder with <icon>.png files for extraApps (a path in your configuration, so it is copied to the store).";
    };

    extraApps = lib.mkOption {
      type = lib.types.attrsOf appType;
      default = { };
      example = lib.literalExpression ''
        {
          proton-mail = {
            name = "Proton Mail";
            url = "https://mail.proton.me/";
            icon = "proton-mail";
            categories = [ "Network" "Email" ];
          };
        }
      '';
      description = ''
        Your own PWAs, keyed by id (lower-case letters, digits, dashes; the
        launcher is pwa-<id>). An id equal to a built-in one replaces it.
      '';
    };

    package = lib.mkOption {
      type = lib.types.package;
      readOnly = true;
      default = package;
      description = "The PWA package built from these options.";
    };
  };

  config = lib.mkIf cfg.enable {
    axios.pwa.extraApps = lib.mkIf (cfg.appsFile != null) (
      builtins.fromJSON (builtins.readFile cfg.appsFile)
    );
    assertions = map (p: {
      assertion = false;
      message = p;
    }) problems;
    warnings = lib.optional (problems == [ ] && package.missingIcons != [ ]) (
      "axios.pwa: no <icon>.png found for ${lib.concatStringsSep ", " package.missingIcons}"
      + " in axios.pwa.iconPath; those launchers use a generic icon."
    );
    home.packages = lib.optional (problems == [ ]) package;
  };
}
