# The disk layout the original's documentation pointed diskConfigPath at.
{ ... }:
{
  disko.devices = { };
}
