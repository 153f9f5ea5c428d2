# Host: tower (desktop)
# Shaped like what the original axiOS init wrote (hosts/<name>.nix).
{ lib, userModulePath, ... }:
{
  hostConfig = {
    hostname = "tower";
    system = "x86_64-linux";
    formFactor = "desktop"; # desktop, laptop, or server

    hardware = {
      # vendor = "msi";
      cpu = "amd";
      gpu = "nvidia";
      hasSSD = true;
      isLaptop = false;
    };

    modules = {
      system = true;
      desktop = true;
      development = true;
      graphics = true;
      networking = true;
      users = true;
      virt = true;
      gaming = true;
      ai = false;
      secrets = true;
    };

    virt = {
      libvirt.enable = true;
      containers.enable = false;
    };

    homeProfile = "workstation";
    userModulePath = userModulePath;
    hardwareConfigPath = ./tower/hardware.nix;

    extraConfig = {
      # Required
      axios.system.timeZone = "Europe/Berlin";

      # Secrets are discovered automatically
      secrets.secretsDir = ../secrets;
    };
  };
}
