# The host as a Nix attribute set: the same keys as hosts/<name>.toml, plus
# hardwareConfigPath, userModulePath and extraModules, which take modules.
# null means "not set".
{
  hostname = "workstation";
  system = "x86_64-linux";
  timeZone = "Europe/Berlin";
  formFactor = "desktop";
  homeProfile = "workstation";

  hardware = {
    cpu = "amd";
    gpu = "nvidia";
    vendor = null;
    hasSSD = true;
    isLaptop = false;
  };

  modules = {
    desktop = true;
    development = true;
    graphics = true;
    gaming = true;
    virt = true;
    ai = false;
  };

  virt = {
    libvirt.enable = true;
    containers.enable = false;
  };

  users.alice = {
    fullName = "Alice Smith";
    email = "alice@example.org";
    extraGroups = [ "dialout" ];
    # The password's hash, in a file outside the Nix store:
    #   mkpasswd | sudo tee /etc/nixos/passwords/alice > /dev/null
    # (or hashedPassword = "$y$…"; sshKeys = [ "ssh-ed25519 …" ];)
    hashedPasswordFile = "/etc/nixos/passwords/alice";
  };

  hardwareConfigPath = ./hardware.nix;
  userModulePath = ./user.nix;
  extraModules = [ ];

  # Any NixOS configuration; it is imported as a module, so `imports` works.
  extraConfig = {
    imports = [ ];
    services.fwupd.enable = true;
  };
}
