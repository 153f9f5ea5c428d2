# Podman (daemonless, rootless by default) with name resolution between
# containers and podman-compose for compose files.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.virt.containers;
in
{
  config = lib.mkIf cfg.enable {
    virtualisation.podman = {
      enable = true;
      dockerCompat = lib.mkDefault false;
      defaultNetwork.settings.dns_enabled = lib.mkDefault true;
    };
    virtualisation.oci-containers.backend = lib.mkDefault "podman";
    environment.systemPackages = [ pkgs.podman-compose ];
    # Access to the rootful socket; axiOS gives it to the primary user only.
    users.groups.podman = { };
  };
}
