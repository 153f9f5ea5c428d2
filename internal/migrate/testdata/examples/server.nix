# Shaped like the original's multi-host server, as a function of lib, with
# values TOML cannot hold.
{ lib, pkgs, ... }:
let
  domain = "example-tailnet.ts.net";
in
{
  hostname = "server";
  system = "x86_64-linux";
  formFactor = "desktop";
  hardware = {
    cpu = "intel";
    gpu = "intel";
    hasSSD = true;
    isLaptop = false;
    sockets = 2;
  };
  modules = {
    system = true;
    desktop = false;
    development = true;
    graphics = false;
    networking = true;
    users = true;
    services = true;
    virt = true;
    gaming = false;
    printing = true;
  };
  homeProfile = "workstation";
  selfHosted = {
    immich.enable = true;
    immich.mediaLocation = /srv/immich;
  };
  services = {
    immich = true;
  };
  colour = "blue";
  extraConfig = {
    axios.system.timeZone = "America/New_York";
    networking.tailscale.domain = domain;
    services.fwupd.enable = lib.mkForce true;
    services.openssh.settings.PasswordAuthentication = null;
    boot.kernelParams = [ "quiet" ];
    environment.systemPackages = with pkgs; [
      htop
      tmux
    ];
    services.caddy.package = pkgs.caddy; # needs pkgs
    networking.extraHosts = lib.mkIf true "10.0.0.2 nas";
    users.users.root.initialPassword = "hunter2";
    systemd.services.backup.script = ''
      echo "backing up ${domain}"
    '';
  };
}
