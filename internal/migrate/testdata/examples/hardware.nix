# A hardware configuration (fixture).
{ ... }:
{
  fileSystems."/".device = "/dev/disk/by-label/nixos";
}
