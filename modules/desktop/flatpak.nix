# Flatpak with the Flathub remote, added by a oneshot unit at boot. The
# remote-add uses --if-not-exists, so re-running it is harmless; GNOME
# Software is told to show Flathub only.
{
  config,
  lib,
  ...
}:
let
  cfg = config.desktop;
  flatpak = config.services.flatpak.package;
in
{
  config = lib.mkIf cfg.enable (
    lib.mkMerge [
      { services.flatpak.enable = true; }
      (lib.mkIf cfg.flathub.enable {
        environment.sessionVariables = {
          GNOME_SOFTWARE_REPOS_ENABLED = "flathub";
          GNOME_SOFTWARE_USE_FLATPAK_ONLY = "1";
        };
        systemd.services.flatpak-add-flathub = {
          description = "Add the Flathub remote to Flatpak";
          wantedBy = [ "multi-user.target" ];
          wants = [ "network-online.target" ];
          after = [ "network-online.target" ];
          serviceConfig = {
            Type = "oneshot";
            RemainAfterExit = true;
            ExecStart = lib.escapeShellArgs [
              "${flatpak}/bin/flatpak"
              "remote-add"
              "--system"
              "--if-not-exists"
              "flathub"
              "https://flathub.org/repo/flathub.flatpakrepo"
            ];
            # Offline at boot is not an error worth a red unit; retry later.
            Restart = "on-failure";
            RestartSec = "30s";
          };
          startLimitIntervalSec = 0;
        };
      })
    ]
  );
}
