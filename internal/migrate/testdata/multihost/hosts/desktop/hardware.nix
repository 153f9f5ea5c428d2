# Hardware of the desktop (fixture).
{ ... }:
{
  fileSystems."/".device = "/dev/disk/by-label/desktop";
}
