# Vendor-neutral graphics: hardware.graphics (with 32-bit support on
# x86_64), VA-API and Vulkan drivers, tools and session variables from the
# plan.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  plan = import ./plan.nix config;
  # 32-bit drivers (for Steam and Wine) exist on x86_64 only; nixpkgs
  # rejects hardware.graphics.enable32Bit elsewhere.
  is64BitX86 = pkgs.stdenv.hostPlatform.isx86_64;
  resolve = set: name: lib.getAttrFromPath (lib.splitString "." name) set;
in
{
  config = {
    hardware.graphics = {
      enable = lib.mkDefault true;
      enable32Bit = lib.mkDefault is64BitX86;
      extraPackages = map (resolve pkgs) plan.extraPackages;
      extraPackages32 = lib.optionals is64BitX86 (
        map (resolve pkgs.pkgsi686Linux) plan.extraPackages32
      );
    };

    boot.kernelParams = plan.kernelParams;
    # Only when a driver is named: an empty list would replace X's defaults.
    services.xserver.videoDrivers = lib.mkIf (plan.videoDrivers != [ ]) plan.videoDrivers;

    environment.systemPackages = map (resolve pkgs) plan.tools;
    environment.sessionVariables = lib.mapAttrs (_: lib.mkDefault) plan.sessionVariables;
  };
}
