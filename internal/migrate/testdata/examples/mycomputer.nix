# The attribute set the original's minimal example gave axios.lib.mkSystem.
{
  hostname = "mycomputer";
  system = "x86_64-linux";
  formFactor = "desktop";
  hardware = {
    # vendor = "msi";
    cpu = "amd";
    gpu = "amd";
    hasSSD = true;
    isLaptop = false;
  };
  modules = {
    system = true;
    desktop = true;
    development = true;
    services = false;
    graphics = true;
    networking = true;
    users = true;
    virt = false;
    gaming = false;
  };
  homeProfile = "workstation";
  userModulePath = ./user.nix;
  hardwareConfigPath = ./hardware.nix;
  diskConfigPath = ./disks.nix;
  extraConfig = {
    axios.system.timeZone = "America/New_York";
  };
}
