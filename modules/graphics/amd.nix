# AMD: amdgpu in the initrd (early KMS) and CoreCtrl.
{ config, lib, ... }:
let
  plan = import ./plan.nix config;
in
{
  config = lib.mkIf plan.amdInitrd {
    hardware.amdgpu.initrd.enable = lib.mkDefault true;
    programs.corectrl.enable = lib.mkDefault plan.corectrl;
  };
}
