# Files: Nautilus with previews, a terminal entry, GVFS (trash, network
# shares, MTP) and UDisks (removable drives).
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.desktop;
in
{
  config = lib.mkIf cfg.enable {
    services.gvfs.enable = true;
    services.udisks2.enable = true;
    services.gnome.sushi.enable = lib.mkDefault true;
    programs.nautilus-open-any-terminal = {
      enable = lib.mkDefault true;
      terminal = lib.mkDefault "ghostty";
    };
    environment.systemPackages = with pkgs; [
      nautilus
      file-roller
    ];
  };
}
