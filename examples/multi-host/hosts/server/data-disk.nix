# An extra module for the server: every .nix file in hosts/server/ other than
# hardware.nix is imported as a module.
{
  fileSystems."/data" = {
    device = "/dev/disk/by-uuid/00000000-0000-0000-0000-000000000002";
    fsType = "ext4";
  };
}
