# Gaming: Steam with Proton-GE, GameMode, gamescope, MangoHud, nix-ld for
# binary games and controller udev rules. VR is in vr.nix.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.gaming;
  exposure = (import ../../lib/core { }).exposure;
in
{
  imports = [ ./vr.nix ];

  options.gaming = {
    enable = lib.mkEnableOption "gaming support (Steam, Proton-GE, GameMode, gamescope)";
  };

  config = lib.mkIf cfg.enable {
    assertions = [
      {
        assertion = pkgs.stdenv.hostPlatform.isx86_64;
        message = ''
          gaming.enable needs an x86_64-linux machine: Steam, Proton and their
          32-bit libraries exist for x86_64 only.
            fix: set modules.gaming = false for this host (or gaming.enable = false).
        '';
      }
    ];

    environment.systemPackages = with pkgs; [
      gamescope
      gamemode
      mangohud
      protonup-ng
      supertuxkart
    ];

    programs.steam = {
      enable = true;
      # Ports only for what the host asks for (lib/ports.toml): Remote Play
      # (TCP 27036, UDP 27031-27036) and a Source dedicated server (TCP/UDP
      # 27015) open on every interface when these are set to true.
      remotePlay.openFirewall = lib.mkDefault (exposure.default "programs.steam.remotePlay.openFirewall");
      dedicatedServer.openFirewall = lib.mkDefault (
        exposure.default "programs.steam.dedicatedServer.openFirewall"
      );
      protontricks.enable = lib.mkDefault true;
      extraCompatPackages = [ pkgs.proton-ge-bin ];
      gamescopeSession.enable = lib.mkDefault true;
    };

    programs.gamescope = {
      enable = true;
      # lets gamescope raise its own scheduling priority
      capSysNice = lib.mkDefault true;
    };

    programs.gamemode = {
      enable = true;
      settings = {
        general = {
          softrealtime = lib.mkDefault "auto";
          inhibit_screensaver = lib.mkDefault 1;
          renice = lib.mkDefault 5;
        };
        # GPU tweaks are vendor-specific; amd_performance_level is ignored on
        # other vendors.
        gpu = {
          apply_gpu_optimisations = lib.mkDefault "accept-responsibility";
          amd_performance_level = lib.mkDefault "high";
        };
        custom = {
          start = lib.mkDefault "${pkgs.libnotify}/bin/notify-send 'GameMode started'";
          end = lib.mkDefault "${pkgs.libnotify}/bin/notify-send 'GameMode ended'";
        };
      };
    };

    # Binary games and launchers outside Steam's runtime.
    programs.nix-ld = {
      enable = true;
      libraries = with pkgs; [
        SDL2
        SDL2_image
        SDL2_mixer
        SDL2_ttf
        libGL
        vulkan-loader
        libx11
        libxi
        libxrandr
        alsa-lib
        openal
        libpulseaudio
        stdenv.cc.cc
        freetype
        libvorbis
        libogg
        zlib
        libusb1
      ];
    };

    # Controllers: Valve hardware (Steam Controller, Steam Deck, Index) and
    # the common PlayStation, Xbox, Nintendo and 8BitDo pads, with uinput
    # for Steam Input's virtual devices.
    hardware.steam-hardware.enable = true;
    hardware.uinput.enable = true;
    services.udev.packages = [ pkgs.game-devices-udev-rules ];
  };
}
