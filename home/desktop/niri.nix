# niri settings for every desktop user: the axiOS keybind table (rendered by
# lib/core/niri.nix), window rules, startup programs and the drop-down
# terminal. The options come from niri-flake's home-manager settings module,
# which niri-flake's NixOS module (nixos.desktop) adds to every user; DMS's
# niri home module adds its own binds (launcher, lock, media keys).
{
  config,
  lib,
  pkgs,
  osConfig ? null,
  ...
}:
let
  cfg = config.axios.desktop.niri;
  niriCore = import ../../lib/core/niri.nix;
  pwaCore = import ../../lib/core/pwa.nix;

  niriPkg =
    if osConfig != null && (osConfig.programs.niri.package or null) != null then
      osConfig.programs.niri.package
    else
      pkgs.niri;
  ghostty =
    if (config.programs.ghostty.package or null) != null then config.programs.ghostty.package else pkgs.ghostty;

  # Declared by home/terminal (ghostty.nix), which writes its desktop entry.
  dropdownAppId = config.axios.terminal.dropdownAppId or "com.kc.dropterm";

  # Mod+Grave: focus or close the drop-down terminal, or start it.
  dropdown = pkgs.writeShellApplication {
    name = "axios-dropdown-terminal";
    runtimeInputs = [
      niriPkg
      pkgs.jq
      pkgs.util-linux
    ];
    text = ''
      win=$(niri msg --json windows | jq -r --arg app ${dropdownAppId} \
        'map(select(.app_id == $app)) | first | if . == null then "" else "\(.id) \(.is_focused)" end')
      if [ -z "$win" ]; then
        setsid -f ${lib.getExe ghostty} --gtk-single-instance=true --class=${dropdownAppId} --window-decoration=none >/dev/null 2>&1
      elif [ "''${win#* }" = true ]; then
        niri msg action close-window --id "''${win%% *}"
      else
        niri msg action focus-window --id "''${win%% *}"
      fi
    '';
  };

  recordingName = ''"$HOME/Videos/recording-$(date +%Y%m%d-%H%M%S).mp4"'';

  # Mod+Shift+R: start a full-screen recording, or stop the running one.
  recordScreen = pkgs.writeShellApplication {
    name = "axios-record-screen";
    runtimeInputs = with pkgs; [
      wf-recorder
      procps
      libnotify
      coreutils
      util-linux
    ];
    text = ''
      if pgrep -x wf-recorder >/dev/null; then
        pkill -INT -x wf-recorder
        notify-send -i video-x-generic "Screen Recording" "Recording stopped"
      else
        mkdir -p "$HOME/Videos"
        setsid -f wf-recorder -f ${recordingName} >/dev/null 2>&1
        notify-send -i media-record "Screen Recording" "Recording started"
      fi
    '';
  };

  # Mod+Ctrl+R: record a selected area (stop with Mod+Shift+R).
  recordArea = pkgs.writeShellApplication {
    name = "axios-record-area";
    runtimeInputs = with pkgs; [
      wf-recorder
      slurp
      libnotify
      coreutils
      util-linux
    ];
    text = ''
      area=$(slurp) || exit 0
      mkdir -p "$HOME/Videos"
      setsid -f wf-recorder -g "$area" -f ${recordingName} >/dev/null 2>&1
      notify-send -i media-record "Screen Recording" "Area recording started"
    '';
  };

  browserCommand = {
    brave = "brave";
    chromium = "chromium";
    google-chrome = "google-chrome-stable";
  };

  commands = {
    browser = browserCommand.${config.axios.pwa.browser};
    recordScreen = lib.getExe recordScreen;
    recordArea = lib.getExe recordArea;
    dropdown = lib.getExe dropdown;
  };

  messagesRule = pwaCore.appIdRegex {
    url = niriCore.messagesUrl;
    browser = config.axios.pwa.browser;
  };

  radius = 12.0;
  floating = extra: {
    open-maximized = false;
    open-floating = true;
  } // extra;
  size = w: h: {
    default-column-width.fixed = w;
    default-window-height.fixed = h;
  };
in
{
  options.axios.desktop.niri = {
    enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = "Whether to apply the axiOS niri settings (binds, window rules, startup programs).";
    };
    residentTerminal = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = ''
        Whether to start a window-less Ghostty at login, so new terminal
        windows (Mod+Return) open instantly.
      '';
    };
  };

  config = lib.mkIf cfg.enable {
    home.packages = [
      dropdown
      recordScreen
      recordArea
    ];

    programs.dank-material-shell.niri = {
      enableKeybinds = lib.mkDefault true;
      # DMS runs as the systemd user service dms.service; a niri spawn would
      # start a second instance.
      enableSpawn = lib.mkDefault false;
      # DMS's "includes" (on by default upstream) would move the config
      # niri-flake renders from these settings to niri/hm.kdl and load DMS's
      # runtime files (binds, layout, outputs …) after it, overriding the
      # axiOS table; DMS itself warns against combining them with
      # enableKeybinds. Turn it on to let the DMS settings UI manage niri.
      includes.enable = lib.mkDefault false;
    };

    # Opinions in mkDefault, leaf by leaf (a user's setting replaces only that
    # setting; a list such as preset-column-widths is replaced whole); niri's
    # actions are single values, so each bind's action is one leaf. The rule
    # lists and spawn-at-startup stay plain: a user's entries are added.
    programs.niri.settings = lib.mkMerge [
      (lib.mapAttrsRecursive (_: lib.mkDefault) {
        prefer-no-csd = true;
        screenshot-path = "~/Pictures/Screenshots/Screenshot-from-%Y-%m-%d-%H-%M-%S.png";
        hotkey-overlay.skip-at-startup = true;

        layout = {
          border.enable = false;
          focus-ring.enable = true;
          background-color = "transparent";
          preset-column-widths = map (p: { proportion = p; }) [
            1.0
            0.75
            0.5
            0.25
          ];
          tab-indicator = {
            hide-when-single-tab = true;
            place-within-column = true;
            position = "left";
            corner-radius = 20.0;
            gap = -12.0;
            gaps-between-tabs = 10.0;
            width = 4.0;
            length.total-proportion = 0.1;
          };
        };

        input = {
          touchpad = {
            natural-scroll = false;
            tap = true;
            tap-button-map = "left-right-middle";
            middle-emulation = true;
            accel-profile = "adaptive";
          };
          focus-follows-mouse = {
            enable = true;
            max-scroll-amount = "90%";
          };
          warp-mouse-to-focus.enable = true;
          workspace-auto-back-and-forth = true;
        };
      })
      {
        # niri draws the pointer over its own surfaces and exports
        # XCURSOR_THEME/XCURSOR_SIZE to what it spawns; without this it uses
        # the "default" theme and undoes home.pointerCursor (theming.nix).
        cursor = lib.mkIf config.home.pointerCursor.enable {
          theme = lib.mkDefault config.home.pointerCursor.name;
          size = lib.mkDefault config.home.pointerCursor.size;
        };

        binds = lib.mapAttrs (_: lib.mapAttrs (_: lib.mkDefault)) (
          niriCore.render (niriCore.table commands)
        );

        switch-events.lid-close.action = lib.mkDefault {
          spawn = [
            "systemctl"
            "suspend"
          ];
        };

        spawn-at-startup = [
          # Clipboard history: DMS only starts a watcher itself when it is
          # spawned by niri, which axiOS does not do (see enableSpawn above).
          {
            argv = [
              "${pkgs.wl-clipboard}/bin/wl-paste"
              "--watch"
              (lib.getExe pkgs.cliphist)
              "store"
            ];
          }
        ]
        ++ lib.optional cfg.residentTerminal {
          argv = [
            (lib.getExe ghostty)
            "--gtk-single-instance=true"
            "--initial-window=false"
            "--quit-after-last-window-closed=false"
          ];
        };

        # The blurred copy of the wallpaper (swaybg, namespace "wallpaper",
        # see wallpaper.nix) sits behind the workspaces in the overview.
        layer-rules = [
          {
            matches = [ { namespace = "^wallpaper$"; } ];
            place-within-backdrop = true;
          }
        ];

        window-rules = [
          {
            geometry-corner-radius = {
              top-left = radius;
              top-right = radius;
              bottom-left = radius;
              bottom-right = radius;
            };
            clip-to-geometry = true;
            draw-border-with-background = false;
          }
          {
            matches = [ { is-floating = true; } ];
            shadow.enable = true;
          }
          {
            matches = [ { app-id = ".*"; } ];
            open-maximized = true;
          }
          (
            {
              matches = [ { app-id = messagesRule; } ];
              default-floating-position = {
                x = 5;
                y = 5;
                relative-to = "top-left";
              };
            }
            // floating (size 500 700)
          )
          ({ matches = [ { app-id = "^qalculate-gtk$"; } ]; } // floating (size 500 700))
          (
            {
              matches = [
                {
                  app-id = "brave-browser$";
                  title = "^Picture-in-picture$";
                }
              ];
            }
            // floating { }
          )
          (
            {
              matches = [
                {
                  app-id = "^org\\.quickshell$";
                  title = "^Settings$";
                }
              ];
            }
            // floating { }
          )
          ({ matches = [ { app-id = "^org\\.gnome\\.Nautilus$"; } ]; } // floating (size 1200 900))
          {
            matches = [ { app-id = "^${pwaCore.escapeRegex dropdownAppId}$"; } ];
            open-maximized = false;
            open-floating = true;
            default-column-width.proportion = 0.97;
            default-window-height.fixed = 420;
            default-floating-position = {
              x = 0;
              y = 4;
              relative-to = "top";
            };
            border.enable = false;
            focus-ring.enable = false;
            shadow.enable = false;
          }
        ];
      }
    ];
  };
}
