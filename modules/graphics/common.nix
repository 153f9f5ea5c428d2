# Vendor-neutral graphics: hardware.graphics with 32-bit support, VA-API and
# Vulkan drivers, tools and session variables from the plan.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  plan = import ./plan.nix config;
  resolve = set: name: lib.getAttrFromPath (lib.splitString "." name) set;
in
{
  config = {
    hardware.graphics = {
      enable = lib.mkDefault true;
      enable32Bit = lib.mkDefault true;
      extraPackages = map (resolve pkgs) plan.extraPackages;
      extraPackages32 = map (resolve pkgs.pkgsi686Linux) plan.extraPackages32;
    };

    boot.kernelParams = plan.kernelParams;
    # Only when a driver is named: an empty list would replace X's defaults.
    services.xserver.videoDrivers = lib.mkIf (plan.videoDrivers != [ ]) plan.videoDrivers;

    environment.systemPackages = map (resolve pkgs) plan.tools;
    environment.sessionVariables = lib.mapAttrs (_: lib.mkDefault) plan.sessionVariables;
  };
}
