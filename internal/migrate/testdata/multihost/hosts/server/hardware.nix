# Hardware of the server (fixture).
{ ... }:
{
  fileSystems."/".device = "/dev/disk/by-label/server";
  fileSystems."/data".device = "/dev/disk/by-label/data";
}
